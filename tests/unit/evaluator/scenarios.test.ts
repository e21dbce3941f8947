import { HOUR, T0, play } from './script';
import type { Scenario } from './script';

const MIN = HOUR / 60;

/**
 * The scenario table: a fixture from scenarios/, a script of stimuli, what must hold.
 * The harness asserts JSON round-trips and input immutability at every step.
 */
const scenarios: Scenario[] = [
  // ---- exclusive gateway -------------------------------------------------------------
  {
    name: 'exclusive gateway takes the first true condition in document order',
    fixture: 'exclusive',
    variables: { amount: 500 },
    script: [],
    expect: { completed: ['route', 'high', 'merge', 'end'], notCompleted: ['low', 'normal'], clean: true },
  },
  {
    name: 'exclusive gateway falls through to the next condition',
    fixture: 'exclusive',
    variables: { amount: 50 },
    script: [],
    expect: { completed: ['low', 'end'], notCompleted: ['high', 'normal'], clean: true },
  },
  {
    name: 'exclusive gateway takes the default flow when nothing matches',
    fixture: 'exclusive',
    variables: { amount: 5 },
    script: [],
    expect: { completed: ['normal', 'end'], notCompleted: ['high', 'low'], clean: true },
  },
  {
    name: 'a condition on an unknown variable (FEEL warning) is an incident, not the default flow',
    fixture: 'exclusive',
    script: [
      { check: { status: 'active', incidents: [{ type: 'CONDITION_ERROR', elementId: 'route' }], notCompleted: ['normal'] } },
      { set: { amount: 5 } },
      { resolve: 'route' },
    ],
    expect: { completed: ['route', 'normal', 'end'], commands: [{ type: 'raiseIncident' }, { type: 'incidentResolved' }], clean: true },
  },
  {
    name: 'a condition that evaluates to null is an incident',
    fixture: 'exclusive',
    variables: { amount: null },
    script: [{ check: { incidents: [{ type: 'CONDITION_ERROR', elementId: 'route' }] } }],
    expect: { status: 'active', active: ['route'], notCompleted: ['normal'] },
  },
  {
    name: 'a non-boolean condition is an incident; resolving re-evaluates after setVariables',
    fixture: 'exclusive-nodefault',
    variables: { kind: 'c', flag: 1 },
    script: [
      { check: { incidents: [{ type: 'CONDITION_ERROR', elementId: 'route' }], active: ['route'] } },
      { set: { flag: true } },
      { resolve: 'route' },
    ],
    expect: { completed: ['route', 'endB'], clean: true },
  },
  {
    name: 'no matching flow and no default is an incident',
    fixture: 'exclusive-nodefault',
    variables: { kind: 'c', flag: false },
    script: [
      { check: { incidents: [{ type: 'CONDITION_ERROR', elementId: 'route' }] } },
      { resolve: 'route' },
      { check: { incidents: [{ type: 'CONDITION_ERROR', elementId: 'route' }] } },
      { set: { kind: 'a' } },
      { resolve: 'route' },
    ],
    expect: { completed: ['endA'], notCompleted: ['endB'], clean: true },
  },
  // ---- parallel and inclusive ---------------------------------------------------------
  {
    name: 'parallel fork runs all branches; the join fires once after the last arrives',
    fixture: 'parallel',
    script: [
      { job: 'b' },
      { userTask: 'c' },
      { check: { notCompleted: ['join'], active: ['a'] } },
      { job: 'a' },
    ],
    expect: { completed: ['b', 'c', 'a', 'join', 'end'], completedTimes: { join: 1, end: 1 }, clean: true },
  },
  {
    name: 'inclusive join with a dead branch fires when the only live branch arrives',
    fixture: 'inclusive',
    variables: { a: true, b: false },
    script: [{ check: { active: ['taskA'] } }, { job: 'taskA' }],
    expect: { completed: ['taskA', 'join', 'end'], notCompleted: ['taskB', 'taskD'], clean: true },
  },
  {
    name: 'inclusive join waits for a branch that can still arrive',
    fixture: 'inclusive',
    variables: { a: true, b: true, skip: false },
    script: [
      { job: 'taskA' },
      { check: { notCompleted: ['join'], active: ['taskB'] } },
      { job: 'taskB' },
    ],
    expect: { completed: ['taskA', 'taskB', 'skipB', 'join', 'end'], completedTimes: { join: 1 }, clean: true },
  },
  {
    name: 'inclusive join fires when the other branch dies downstream instead of arriving',
    fixture: 'inclusive',
    variables: { a: true, b: true, skip: true },
    script: [{ job: 'taskA' }, { check: { notCompleted: ['join'] } }, { job: 'taskB' }],
    expect: { completed: ['taskA', 'endSkipped', 'join', 'end'], completedTimes: { join: 1 }, clean: true },
  },
  {
    name: 'inclusive fork takes the default flow when no condition holds',
    fixture: 'inclusive',
    variables: { a: false, b: false },
    script: [],
    expect: { completed: ['fork', 'taskD', 'join', 'end'], notCompleted: ['taskA', 'taskB'], clean: true },
  },
  {
    name: 'inclusive fork with a condition on a missing variable raises an incident',
    fixture: 'inclusive',
    variables: { b: false },
    script: [
      { check: { incidents: [{ type: 'CONDITION_ERROR', elementId: 'fork' }], active: ['fork'] } },
      { set: { a: true } },
      { resolve: 'fork' },
      { job: 'taskA' },
    ],
    expect: { completed: ['taskA', 'join', 'end'], clean: true },
  },
  // ---- event-based gateway ------------------------------------------------------------
  {
    name: 'event-based gateway: the message wins and the timer is cancelled',
    fixture: 'event-gateway',
    variables: { caseId: 'C-1' },
    script: [
      { check: { subscriptions: ['reply'], timers: [{ elementId: 'timeout', dueAt: T0 + 48 * HOUR }] } },
      { message: 'customer-reply', key: 'C-2', rejected: true },
      { message: 'customer-reply', key: 'C-1', vars: { text: 'thanks' } },
    ],
    expect: {
      completed: ['race', 'reply', 'replied', 'endReplied'],
      notCompleted: ['timeout', 'remind'],
      variables: { text: 'thanks' },
      commands: [{ type: 'cancelTimer', elementId: 'timeout' }],
      clean: true,
    },
  },
  {
    name: 'event-based gateway: the timer wins and the subscription is closed',
    fixture: 'event-gateway',
    variables: { caseId: 'C-1' },
    script: [{ timer: 'timeout' }, { message: 'customer-reply', key: 'C-1', rejected: true }, { job: 'remind' }],
    expect: {
      completed: ['race', 'timeout', 'remind', 'endTimeout'],
      notCompleted: ['reply'],
      commands: [{ type: 'closeMessageSubscription', elementId: 'reply' }],
      clean: true,
    },
  },
  // ---- timers -------------------------------------------------------------------------
  {
    name: 'intermediate timers: duration, date with offset, FEEL duration',
    fixture: 'timers',
    variables: { delay: 'PT30M' },
    script: [
      { check: { timers: [{ elementId: 'waitDuration', dueAt: T0 + 2 * HOUR }] } },
      { timer: 'waitDuration' },
      { check: { timers: [{ elementId: 'waitDate', dueAt: Date.UTC(2025, 1, 1, 7) }] } },
      { timer: 'waitDate' },
      { check: { timers: [{ elementId: 'waitExpr', dueAt: Date.UTC(2025, 1, 1, 7) + 30 * MIN }] } },
      { timer: 'waitExpr' },
    ],
    expect: { completed: ['waitDuration', 'waitDate', 'waitExpr', 'end'], clean: true },
  },
  {
    name: 'a timer expression of the wrong type is an incident until fixed',
    fixture: 'timers',
    variables: { delay: 5 },
    script: [
      { timer: 'waitDuration' },
      { timer: 'waitDate' },
      { check: { incidents: [{ type: 'EXTRACT_VALUE_ERROR', elementId: 'waitExpr' }], timers: [] } },
      { set: { delay: 'not a duration' } },
      { resolve: 'waitExpr' },
      { check: { incidents: [{ type: 'EXTRACT_VALUE_ERROR', elementId: 'waitExpr' }] } },
      { set: { delay: 'PT1M' } },
      { resolve: 'waitExpr' },
      { check: { incidents: [], timers: [{ elementId: 'waitExpr', dueAt: Date.UTC(2025, 1, 1, 7) + 7 * MIN }] } },
      { timer: 'waitExpr' },
    ],
    expect: { clean: true },
  },
  // ---- messages -----------------------------------------------------------------------
  {
    name: 'message catch correlates by name and key, maps outputs; receive task waits for the next',
    fixture: 'message-catch',
    variables: { caseId: 'C-7' },
    script: [
      { message: 'reply', key: 'C-8', rejected: true },
      { message: 'other', key: 'C-7', rejected: true },
      { message: 'reply', key: 'C-7', vars: { answer: 'ok' } },
      { check: { active: ['ack'], variables: { reply: { text: 'ok' } }, absentVariables: ['answer'] } },
      { message: 'reply', key: 'C-7', vars: { acknowledged: true } },
    ],
    expect: { completed: ['waitReply', 'ack', 'end'], variables: { acknowledged: true, reply: { text: 'ok' } }, clean: true },
  },
  {
    name: 'a correlation key that cannot be evaluated is an incident',
    fixture: 'message-catch',
    script: [
      { check: { incidents: [{ type: 'EXTRACT_VALUE_ERROR', elementId: 'waitReply' }], subscriptions: [] } },
      { message: 'reply', key: 'C-9', rejected: true },
      { set: { caseId: 'C-9' } },
      { resolve: 'waitReply' },
      { message: 'reply', key: 'C-9', vars: { answer: 'late' } },
      { message: 'reply', key: 'C-9' },
    ],
    expect: { variables: { reply: { text: 'late' } }, clean: true },
  },
  // ---- boundary events ----------------------------------------------------------------
  {
    name: 'interrupting boundary timer cancels a task in one parallel branch; the other goes on',
    fixture: 'boundary-parallel',
    script: [
      { check: { timers: [{ elementId: 'slaBreached', dueAt: T0 + HOUR }] } },
      { timer: 'slaBreached' },
      { check: { active: ['escalate', 'other'] } },
      { job: 'escalate' },
      { check: { status: 'active', active: ['other'] } },
      { userTask: 'other' },
    ],
    expect: {
      completed: ['slaBreached', 'escalate', 'endEscalated', 'other', 'endOther'],
      terminated: ['work'],
      notCompleted: ['work', 'endWork'],
      commands: [{ type: 'cancelJob', elementId: 'work' }, { type: 'executeJob', elementId: 'escalate' }],
      clean: true,
    },
  },
  {
    name: 'completing the task first cancels its boundary timer',
    fixture: 'boundary-parallel',
    script: [{ job: 'work' }, { userTask: 'other' }],
    expect: { completed: ['work', 'endWork', 'other'], notCompleted: ['slaBreached'], commands: [{ type: 'cancelTimer', elementId: 'slaBreached' }], clean: true },
  },
  {
    name: 'non-interrupting timer cycle R3/PT1H sends exactly three reminders',
    fixture: 'reminders',
    script: [
      { check: { timers: [{ elementId: 'reminder', dueAt: T0 + HOUR }] } },
      { timer: 'reminder' },
      { check: { timers: [{ elementId: 'reminder', dueAt: T0 + 2 * HOUR }], active: ['review', 'remind'] } },
      { job: 'remind' },
      { timer: 'reminder' },
      { job: 'remind' },
      { check: { timers: [{ elementId: 'reminder', dueAt: T0 + 3 * HOUR }] } },
      { timer: 'reminder' },
      { check: { timers: [], active: ['review', 'remind'] } },
      { job: 'remind' },
      { userTask: 'review' },
    ],
    expect: { completedTimes: { reminder: 3, remind: 3, review: 1, end: 1 }, clean: true },
  },
  {
    name: 'message boundaries: non-interrupting fires repeatedly, interrupting ends the task',
    fixture: 'boundary-message',
    variables: { caseId: 'K1' },
    script: [
      { message: 'note-added', key: 'K1' },
      { message: 'note-added', key: 'K1' },
      { check: { active: ['handle'], completedTimes: { logNote: 2 }, subscriptions: ['onNote', 'onWithdrawn'] } },
      { message: 'withdrawn', key: 'K1' },
    ],
    expect: {
      completed: ['onWithdrawn', 'endWithdrawn'],
      terminated: ['handle'],
      notCompleted: ['handle', 'end'],
      commands: [{ type: 'closeUserTask', elementId: 'handle', reason: 'canceled' }],
      clean: true,
    },
  },
  {
    name: 'a BPMN error from a job is caught by the boundary with that code before a catch-all',
    fixture: 'boundary-error',
    script: [{ throwError: 'pay', code: 'DECLINED', vars: { reason: 'card expired' } }],
    expect: { completed: ['onDeclined', 'declined'], notCompleted: ['onAnyError', 'pay'], variables: { reason: 'card expired' }, clean: true },
  },
  {
    name: 'a catch-all error boundary takes any other code',
    fixture: 'boundary-error',
    script: [{ throwError: 'pay', code: 'TIMEOUT' }],
    expect: { completed: ['onAnyError', 'failed'], notCompleted: ['onDeclined'], clean: true },
  },
  {
    name: 'job failures retry with a new key, then raise JOB_NO_RETRIES; resolving runs the job again',
    fixture: 'boundary-error',
    script: [
      { fail: 'pay', retriesLeft: 1 },
      { check: { incidents: [] } },
      { fail: 'pay', retriesLeft: 0 },
      { check: { incidents: [{ type: 'JOB_NO_RETRIES', elementId: 'pay' }] } },
      { resolve: 'pay' },
      { job: 'pay' },
    ],
    expect: {
      commands: [
        { type: 'executeJob', elementId: 'pay', retries: 2 },
        { type: 'executeJob', elementId: 'pay', retries: 1 },
        { type: 'raiseIncident' },
        { type: 'incidentResolved' },
        { type: 'executeJob', elementId: 'pay', retries: 2 },
      ],
      completed: ['pay', 'end'],
      clean: true,
    },
  },
  // ---- subprocesses, error and escalation --------------------------------------------
  {
    name: 'error end event inside a subprocess is caught by a boundary on the subprocess',
    fixture: 'subprocess-error',
    variables: { ok: false, amount: 10 },
    script: [{ job: 'check' }],
    expect: {
      completed: ['check', 'valid', 'onInvalid', 'reject', 'endRejected'],
      terminated: ['invalidEnd', 'validate'],
      notCompleted: ['validate', 'end'],
      absentVariables: ['limit', 'checkedLimit'],
      clean: true,
    },
  },
  {
    name: 'subprocess input mappings stay local; outputs reach the parent scope',
    fixture: 'subprocess-error',
    variables: { ok: true, amount: 50 },
    script: [{ check: { variables: {}, absentVariables: ['limit'] } }, { job: 'check' }],
    expect: { completed: ['subEnd', 'validate', 'end'], variables: { checkedLimit: 100 }, absentVariables: ['limit'], clean: true },
  },
  {
    name: 'escalation throw is caught by a non-interrupting boundary; an uncaught one is ignored',
    fixture: 'escalation',
    variables: { isLate: false },
    script: [{ check: { completed: ['raiseSla', 'onSla', 'notifyManager'], active: ['handle', 'work'] } }, { job: 'work' }],
    expect: { completed: ['work', 'hEnd', 'handle', 'raiseOther', 'end'], notCompleted: ['onLate'], clean: true },
  },
  {
    name: 'escalation end event caught by an interrupting boundary ends the subprocess',
    fixture: 'escalation',
    variables: { isLate: true },
    script: [{ job: 'work' }],
    expect: { completed: ['onLate', 'lateHandling', 'endLate'], terminated: ['lateEnd', 'handle'], notCompleted: ['handle', 'raiseOther'], clean: true },
  },
  {
    name: 'terminate end inside a subprocess ends only that scope; at process level it ends all',
    fixture: 'terminate',
    script: [
      { job: 'fast' },
      { check: { active: [], terminated: ['slow'], completed: ['fast', 'killSub', 'sub', 'after', 'killAll'] } },
    ],
    expect: {
      status: 'completed',
      terminated: ['slow', 'outerWork'],
      notCompleted: ['slowEnd', 'outerEnd'],
      commands: [{ type: 'cancelJob', elementId: 'slow' }, { type: 'cancelJob', elementId: 'outerWork' }, { type: 'processCompleted' }],
      clean: true,
    },
  },
  // ---- event subprocesses -------------------------------------------------------------
  {
    name: 'non-interrupting timer event subprocess runs beside; interrupting message one ends the parent',
    fixture: 'event-subprocess',
    variables: { caseId: 'E1' },
    script: [
      { check: { timers: [{ elementId: 'dailyStart', dueAt: T0 + 24 * HOUR }], subscriptions: ['cancelStart'] } },
      { timer: 'dailyStart' },
      { check: { active: ['review'], completed: ['dailyDigest', 'onDaily'], timers: [{ elementId: 'dailyStart', dueAt: T0 + 48 * HOUR }] } },
      { message: 'cancel-request', key: 'E1', vars: { why: 'resolved by phone' } },
      { check: { active: ['onCancel', 'confirmCancel'], timers: [] } },
      { job: 'confirmCancel' },
    ],
    expect: {
      completed: ['cancelStart', 'confirmCancel', 'cancelEnd', 'onCancel', 'event-subprocess'],
      terminated: ['review'],
      notCompleted: ['end'],
      variables: { why: 'resolved by phone' },
      commands: [{ type: 'closeUserTask', elementId: 'review', reason: 'canceled' }, { type: 'cancelTimer', elementId: 'dailyStart' }],
      clean: true,
    },
  },
  {
    name: 'event subprocess subscriptions close when the parent completes normally',
    fixture: 'event-subprocess',
    variables: { caseId: 'E2' },
    script: [{ userTask: 'review' }],
    expect: {
      completed: ['review', 'end'],
      commands: [{ type: 'closeMessageSubscription', elementId: 'cancelStart' }],
      clean: true,
    },
  },
  {
    name: 'error event subprocess inside a subprocess catches a job error; escalation one runs beside',
    fixture: 'event-subprocess-error',
    script: [
      { check: { completed: ['info', 'infoStart', 'logInfo', 'onInfo'], active: ['sub', 'lookup'] } },
      { throwError: 'lookup', code: 'LOOKUP' },
    ],
    expect: { completed: ['errStart', 'manualLookup', 'onLookupError', 'sub', 'after', 'end'], terminated: ['lookup'], clean: true },
  },
  // ---- call activity ------------------------------------------------------------------
  {
    name: 'call activity starts the child with its inputs only and maps the child result back',
    fixture: 'call-activity',
    variables: { childProcess: 'investigation', caseId: 'Z1', secret: 's' },
    script: [{ childDone: 'investigate', vars: { finding: 'broken hinge', noise: 1 } }],
    expect: {
      commands: [{ type: 'startChildProcess', elementId: 'investigate', processId: 'investigation', variables: { id: 'Z1' } }],
      variables: { childFinding: 'broken hinge' },
      absentVariables: ['noise', 'finding', 'id'],
      clean: true,
    },
  },
  {
    name: 'a failed child is an incident (restart on resolve); a child BPMN error hits the boundary',
    fixture: 'call-activity',
    variables: { childProcess: 'investigation', caseId: 'Z1' },
    script: [
      { childFail: 'investigate' },
      { check: { incidents: [{ type: 'CHILD_FAILED', elementId: 'investigate' }] } },
      { resolve: 'investigate' },
      { childFail: 'investigate', code: 'CHILD_ERR' },
    ],
    expect: { completedTimes: { onChildError: 1, endChildError: 1 }, notCompleted: ['end'], clean: true },
  },
  {
    name: 'a called process id that is not a string is an incident',
    fixture: 'call-activity',
    variables: { childProcess: null, caseId: 'Z1' },
    script: [
      { check: { incidents: [{ type: 'CALLED_ELEMENT_ERROR', elementId: 'investigate' }] } },
      { set: { childProcess: 'investigation' } },
      { resolve: 'investigate' },
      { childDone: 'investigate', vars: { finding: 'ok' } },
    ],
    expect: { variables: { childFinding: 'ok' }, clean: true },
  },
  // ---- multi-instance -----------------------------------------------------------------
  {
    name: 'parallel multi-instance ends early on its completion condition, collecting outputs by index',
    fixture: 'mi-parallel',
    variables: { reviewers: ['ann', 'bob', 'cy'] },
    script: [
      { userTask: 'vote', assignee: 'cy', vars: { decision: 'no' } },
      { check: { active: ['vote', 'vote', 'vote'] } },
      { userTask: 'vote', assignee: 'ann', vars: { decision: 'yes' } },
    ],
    expect: {
      variables: { votes: ['yes', null, 'no'] },
      completedTimes: { vote: 3, end: 1 },
      terminated: ['vote'],
      commands: [
        { type: 'openUserTask', elementId: 'vote', assignee: 'ann' },
        { type: 'openUserTask', elementId: 'vote', assignee: 'bob' },
        { type: 'openUserTask', elementId: 'vote', assignee: 'cy' },
        { type: 'closeUserTask', elementId: 'vote', reason: 'canceled' },
      ],
      clean: true,
    },
  },
  {
    name: 'an input collection that is not a list is an incident',
    fixture: 'mi-parallel',
    variables: { reviewers: 'ann' },
    script: [
      { check: { incidents: [{ type: 'EXTRACT_VALUE_ERROR', elementId: 'vote' }] } },
      { set: { reviewers: ['ann'] } },
      { resolve: 'vote' },
      { userTask: 'vote', vars: { decision: 'ok' } },
    ],
    expect: { variables: { votes: ['ok'] }, clean: true },
  },
  {
    name: 'sequential multi-instance subprocess runs one item at a time with local item variables',
    fixture: 'mi-sequential',
    variables: { items: [1, 2, 3] },
    script: [
      { check: { active: ['each', 'each', 'eachStart', 'fetch'].filter((x) => x !== 'eachStart') } },
      { job: 'fetch' },
      { check: { active: ['each', 'each', 'fetch'] } },
      { job: 'fetch' },
      { job: 'fetch' },
    ],
    expect: { variables: { results: [2, 4, 6] }, absentVariables: ['item', 'loopCounter'], completedTimes: { double: 3, each: 4 }, clean: true },
  },
  {
    name: 'job variables propagate to the nearest scope that has them (the local item), else to the process',
    fixture: 'mi-sequential',
    variables: { items: [1] },
    script: [{ job: 'fetch', vars: { item: 5, fetched: true } }],
    expect: { variables: { results: [10], fetched: true }, absentVariables: ['item'], clean: true },
  },
  {
    name: 'an empty input collection completes the activity at once',
    fixture: 'mi-sequential',
    variables: { items: [] },
    script: [],
    expect: { variables: { results: [] }, notCompleted: ['fetch'], clean: true },
  },
  // ---- tasks, links, starts, cancel, incidents ---------------------------------------
  {
    name: 'user task: assignment, candidates, schedule and form are evaluated; outputs map the result',
    fixture: 'user-task',
    variables: { owner: 'dana', backups: ['eve'], due: '2025-01-08T17:00:00+01:00' },
    script: [{ userTask: 'triage', vars: { severity: 'high' } }],
    expect: {
      commands: [
        {
          type: 'openUserTask',
          elementId: 'triage',
          name: 'Triage complaint',
          assignee: 'dana',
          candidateGroups: ['support', 'sales'],
          candidateUsers: ['eve'],
          dueDate: '2025-01-08T16:00:00.000Z',
          followUpDate: '2025-01-07T09:00:00.000Z',
          formKey: 'complaint-triage',
        },
        { type: 'closeUserTask', elementId: 'triage', reason: 'completed' },
      ],
      variables: { triage: { severity: 'high' } },
      absentVariables: ['severity'],
      clean: true,
    },
  },
  {
    name: 'a due date that is not a date-time is an incident',
    fixture: 'user-task',
    variables: { owner: 'dana', backups: [], due: 'tomorrow' },
    script: [{ check: { incidents: [{ type: 'EXTRACT_VALUE_ERROR', elementId: 'triage' }] } }],
    expect: { status: 'active', active: ['triage'] },
  },
  {
    name: 'send, message throw, business-rule and message end run jobs; a link jumps within the scope',
    fixture: 'link-send',
    script: [{ job: 'mail' }, { job: 'announce' }, { job: 'classify' }, { job: 'closed' }],
    expect: {
      completed: ['mail', 'jump', 'landing', 'announce', 'classify', 'closed', 'link-send'],
      commands: [
        { type: 'executeJob', taskType: 'mail.send' },
        { type: 'executeJob', taskType: 'bus.publish' },
        { type: 'executeJob', taskType: 'rules.classify' },
        { type: 'executeJob', taskType: 'bus.closed' },
      ],
      clean: true,
    },
  },
  {
    name: 'a message start event is chosen by id and maps its payload',
    fixture: 'message-start',
    startEventId: 'viaMessage',
    variables: { channel: 'web' },
    script: [],
    expect: { completed: ['viaMessage', 'end'], notCompleted: ['manualStart'], variables: { channelCode: 'WEB' }, clean: true },
  },
  {
    name: 'without a start event id the none start event is used',
    fixture: 'message-start',
    script: [],
    expect: { completed: ['manualStart', 'end'], clean: true },
  },
  {
    name: 'cancel terminates every token and withdraws jobs and user tasks',
    fixture: 'parallel',
    script: [{ job: 'a' }, { cancel: true }],
    expect: {
      status: 'terminated',
      terminated: ['b', 'c', 'parallel'],
      commands: [
        { type: 'cancelJob', elementId: 'b' },
        { type: 'closeUserTask', elementId: 'c', reason: 'canceled' },
        { type: 'processTerminated' },
      ],
      clean: true,
    },
  },
  {
    name: 'an uncaught BPMN error from a job is an incident; resolving runs the job again',
    fixture: 'sequence',
    variables: { customer: { name: 'Ada' }, amount: 1 },
    script: [
      { throwError: 'register', code: 'NOPE' },
      { check: { incidents: [{ type: 'UNHANDLED_ERROR_EVENT', elementId: 'register' }] } },
      { resolve: 'register' },
      { job: 'register', vars: { ticketId: 'T' } },
    ],
    expect: { variables: { ticket: 'T', score: 2 }, clean: true },
  },
  {
    name: 'strict FEEL: an input mapping on a missing variable is an incident; the operator sets it and resolves',
    fixture: 'sequence',
    feelMode: 'strict',
    variables: { amount: 1 },
    script: [
      { check: { incidents: [{ type: 'IO_MAPPING_ERROR', elementId: 'register' }], commands: [] } },
      { set: { customer: { name: 'Bo' } } },
      { resolve: 'register' },
      { check: { commands: [{ type: 'executeJob', elementId: 'register', variables: { name: 'Bo', amount: 1, customer: { name: 'Bo' } } }] } },
      { job: 'register', vars: { ticketId: 'T' } },
    ],
    expect: { variables: { ticket: 'T' }, clean: true },
  },
  {
    name: 'strict FEEL: a script producing a FEEL warning is an incident, and so is an output mapping failure',
    fixture: 'sequence',
    feelMode: 'strict',
    variables: { customer: { name: 'Ada' } },
    script: [
      { job: 'register', vars: {} },
      { check: { incidents: [{ type: 'IO_MAPPING_ERROR', elementId: 'register' }] } },
      { set: { ticketId: 'T-2' } },
      { resolve: 'register' },
      { check: { incidents: [{ type: 'EXTRACT_VALUE_ERROR', elementId: 'score' }], variables: { ticket: 'T-2' } } },
      { set: { amount: 4 } },
      { resolve: 'score' },
    ],
    expect: { variables: { score: 8 }, clean: true },
  },
  {
    name: 'a cron cycle on a non-interrupting boundary fires at each match, the next counted from the one that fired',
    fixture: 'reminders-cron',
    script: [
      // T0 is Monday 2025-01-06 09:00 UTC; 0 30 9 * * MON-FRI is 09:30 on weekdays.
      { check: { timers: [{ elementId: 'reminder', dueAt: T0 + 30 * MIN }] } },
      { timer: 'reminder' },
      { check: { timers: [{ elementId: 'reminder', dueAt: T0 + 24 * HOUR + 30 * MIN }] } },
      { job: 'remind' },
      { timer: 'reminder' },
      { check: { timers: [{ elementId: 'reminder', dueAt: T0 + 48 * HOUR + 30 * MIN }] } },
      { job: 'remind' },
      { userTask: 'review' },
    ],
    expect: { completedTimes: { reminder: 2, remind: 2, review: 1, end: 1 }, clean: true },
  },
  // ---- FEEL as Camunda 8.3+ evaluates it: suppressed failures give null -----------------
  {
    name: 'an input mapping on a missing variable gives null and a warning on the element; the job runs',
    fixture: 'sequence',
    variables: { amount: 1 },
    script: [
      {
        check: {
          incidents: [],
          commands: [
            { type: 'expressionWarning', elementId: 'register', expression: 'customer.name', warnings: [{ type: 'NO_VARIABLE_FOUND', message: "Variable 'customer' not found" }, { type: 'NO_PROPERTY_FOUND', message: "Property 'name' not found" }] },
            { type: 'executeJob', elementId: 'register', variables: { name: null, amount: 1 } },
          ],
        },
      },
      { job: 'register', vars: { ticketId: 'T' } },
    ],
    expect: { variables: { ticket: 'T', score: 2 }, absentVariables: ['name'], clean: true },
  },
  {
    name: 'a script and an output mapping reading missing variables give null without an incident',
    fixture: 'sequence',
    variables: { customer: {} },
    script: [
      { check: { commands: [{ type: 'expressionWarning', elementId: 'register', warnings: [{ type: 'NO_CONTEXT_ENTRY_FOUND', message: "Key 'name' not found" }] }] } },
      { job: 'register', vars: {} },
      { check: { incidents: [], commands: [{ type: 'expressionWarning', elementId: 'register', expression: 'ticketId' }, { type: 'expressionWarning', elementId: 'score', expression: 'amount * 2' }] } },
    ],
    expect: { variables: { ticket: null, score: null }, clean: true },
  },
  {
    name: 'a condition that is null because its variable is missing is an incident naming the warning',
    fixture: 'exclusive-nodefault',
    variables: { kind: 'c' },
    script: [
      { check: { incidents: [{ type: 'CONDITION_ERROR', elementId: 'route' }], commands: [{ type: 'expressionWarning', elementId: 'route', expression: 'flag' }] } },
      { set: { flag: true } },
      { resolve: 'route' },
    ],
    expect: { completed: ['route', 'endB'], clean: true },
  },
  {
    name: 'local setVariables shadows the process variable for that instance only',
    fixture: 'sequence',
    variables: { customer: { name: 'Ada' }, amount: 1 },
    script: [{ set: { amount: 7 }, local: 'register' }, { job: 'register', vars: { ticketId: 'T' } }],
    expect: { variables: { amount: 1, score: 2 }, clean: true },
  },
];

describe('evaluator scenarios', () => {
  it.each(scenarios.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    await play(scenario);
  });
});
