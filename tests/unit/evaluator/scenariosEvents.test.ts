/**
 * The evaluator's scenario table (the runner: ./script.ts), its rows for events: timers,
 * messages and boundary events (timers, messages, BPMN errors and job retries).
 */
import { HOUR, MIN, T0, describeScenarios, type Scenario } from './script';

const scenarios: Scenario[] = [
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
];

describeScenarios(scenarios);
