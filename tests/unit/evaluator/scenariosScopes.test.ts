/**
 * The evaluator's scenario table (the runner: ./script.ts), its rows for scopes: subprocesses
 * with their errors, escalations and terminate ends, event subprocesses, call activities and
 * multi-instance.
 */
import { HOUR, T0, describeScenarios, type Scenario } from './script';

const scenarios: Scenario[] = [
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
];

describeScenarios(scenarios);
