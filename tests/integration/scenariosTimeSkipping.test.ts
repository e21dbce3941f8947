/**
 * The evaluator's scenario table, end to end on Temporal through the HTTP API: deploy the
 * fixture, start an instance, drive it with the same stimuli (messages via POST /api/messages,
 * user tasks via /api/tasks, timers by moving the time-skipping server's clock, incidents via
 * PUT variables + resolve), then check the outcome through GET /api/instances/{id} and its
 * history. Expectations use the table's shape (tests/unit/evaluator/script.ts `Expectation`)
 * and copy its outcomes; each scenario names the table row it replays. Here: the rows
 * for the time-skipping test server.
 */
import { describeScenarioTable, HOUR, waitsAt, times, type Run } from '../support/scenarioTable';

const runs: Run[] = [
  // ---- event-based gateway ------------------------------------------------------------
  {
    name: 'event-based gateway: the message wins and the timer is cancelled',
    fixture: 'event-gateway',
    temporal: 'timeSkipping',
    variables: { caseId: 'C-1' },
    script: [
      { until: (i) => waitsAt('race')(i) && i.timers.some((t) => t.elementId === 'timeout'), what: 'message and timer armed' },
      { message: 'customer-reply', key: 'C-2', rejected: true },
      { message: 'customer-reply', key: 'C-1', vars: { text: 'thanks' } },
    ],
    expect: {
      status: 'completed',
      completed: ['race', 'reply', 'replied', 'endReplied'],
      notCompleted: ['timeout', 'remind'],
      variables: { text: 'thanks' },
      activated: ['event-gateway', 'start', 'race', 'reply', 'replied', 'endReplied'],
    },
  },
  {
    name: 'event-based gateway: the timer wins and the subscription is closed',
    fixture: 'event-gateway',
    temporal: 'timeSkipping',
    variables: { caseId: 'C-1' },
    script: [
      { until: waitsAt('race'), what: 'gateway waiting' },
      { sleep: 47 * HOUR },
      { until: (i) => i.status === 'active' && i.activeElements.includes('race'), what: 'still racing after 47h' },
      { sleep: 1 * HOUR },
      { until: (i) => i.status === 'completed', what: 'completed after the timeout' },
      { message: 'customer-reply', key: 'C-1', rejected: true },
    ],
    expect: {
      status: 'completed',
      completed: ['race', 'timeout', 'remind', 'endTimeout'],
      notCompleted: ['reply'],
    },
  },
  // ---- timers -------------------------------------------------------------------------
  {
    name: 'intermediate timers: duration, date with offset, FEEL duration',
    fixture: 'timers',
    temporal: 'timeSkipping',
    variables: { delay: 'PT30M' },
    script: [
      { until: (i) => i.activeElements.includes('waitDuration'), what: 'first timer' },
      { sleep: 2 * HOUR },
      // waitDate is a fixed date in 2025: already past on this clock, so it fires at once.
      { until: (i) => i.activeElements.includes('waitExpr'), what: 'FEEL timer' },
      { sleep: 30 * 60_000 },
    ],
    expect: {
      status: 'completed',
      completed: ['waitDuration', 'waitDate', 'waitExpr', 'end'],
      activated: ['timers', 'start', 'waitDuration', 'waitDate', 'waitExpr', 'end'],
    },
  },
  {
    name: 'a timer expression of the wrong type is an incident until fixed',
    fixture: 'timers',
    temporal: 'timeSkipping',
    variables: { delay: 5 },
    script: [
      { sleep: 2 * HOUR },
      { until: (i) => i.incidents.some((x) => x.type === 'EXTRACT_VALUE_ERROR' && x.elementId === 'waitExpr'), what: 'incident at waitExpr' },
      { set: { delay: 'PT1M' } },
      { resolve: 'waitExpr' },
      { until: (i) => i.incidents.length === 0 && i.timers.some((t) => t.elementId === 'waitExpr'), what: 'timer armed after resolve' },
      { sleep: 60_000 },
    ],
    expect: { status: 'completed', variables: { delay: 'PT1M' }, completed: ['waitExpr', 'end'] },
  },
  // ---- messages -----------------------------------------------------------------------
  {
    name: 'message catch correlates by name and key, maps outputs; receive task waits for the next',
    fixture: 'message-catch',
    temporal: 'timeSkipping',
    variables: { caseId: 'C-7' },
    script: [
      { until: waitsAt('waitReply'), what: 'subscription' },
      { message: 'reply', key: 'C-8', rejected: true },
      { message: 'other', key: 'C-7', rejected: true },
      { message: 'reply', key: 'C-7', vars: { answer: 'ok' } },
      { until: (i) => i.activeElements.includes('ack'), what: 'receive task waiting' },
      { message: 'reply', key: 'C-7', vars: { acknowledged: true } },
    ],
    expect: {
      status: 'completed',
      completed: ['waitReply', 'ack', 'end'],
      variables: { acknowledged: true, reply: { text: 'ok' } },
      absentVariables: ['answer'],
      activated: ['message-catch', 'start', 'waitReply', 'ack', 'end'],
    },
  },
  // ---- boundary events ----------------------------------------------------------------
  {
    name: 'interrupting boundary timer cancels a task in one parallel branch; the other goes on',
    fixture: 'boundary-parallel',
    // The table's `work` is a job held open by the script; here it is a user task nobody completes.
    asUserTasks: ['work'],
    temporal: 'timeSkipping',
    script: [
      { until: (i) => i.activeElements.includes('work') && i.timers.some((t) => t.elementId === 'slaBreached'), what: 'SLA timer armed' },
      { sleep: HOUR },
      { until: (i) => !i.activeElements.includes('work') && i.activeElements.includes('other'), what: 'work interrupted' },
      { userTask: 'other' },
    ],
    expect: {
      status: 'completed',
      completed: ['slaBreached', 'escalate', 'endEscalated', 'other', 'endOther'],
      terminated: ['work'],
      notCompleted: ['work', 'endWork'],
    },
  },
  {
    name: 'non-interrupting timer cycle R3/PT1H sends exactly three reminders',
    fixture: 'reminders',
    temporal: 'timeSkipping',
    script: [
      { until: (i) => i.timers.some((t) => t.elementId === 'reminder'), what: 'cycle armed' },
      { sleep: HOUR },
      { until: (_i, h) => times(h, 'completed', 'remind') === 1, what: 'first reminder' },
      { sleep: HOUR },
      { until: (_i, h) => times(h, 'completed', 'remind') === 2, what: 'second reminder' },
      { sleep: HOUR },
      { until: (i, h) => times(h, 'completed', 'remind') === 3 && i.timers.length === 0, what: 'third reminder, cycle over' },
      { sleep: 5 * HOUR },
      { userTask: 'review' },
    ],
    expect: { status: 'completed', completedTimes: { reminder: 3, remind: 3, review: 1, end: 1 } },
  },
  // ---- event subprocesses -------------------------------------------------------------
  {
    name: 'non-interrupting timer event subprocess runs beside; interrupting message one ends the parent',
    fixture: 'event-subprocess',
    temporal: 'timeSkipping',
    variables: { caseId: 'E1' },
    script: [
      { until: (i) => waitsAt('review')(i) && i.timers.some((t) => t.elementId === 'dailyStart'), what: 'armed' },
      { sleep: 24 * HOUR },
      { until: (_i, h) => times(h, 'completed', 'onDaily') === 1, what: 'daily digest' },
      { message: 'cancel-request', key: 'E1', vars: { why: 'resolved by phone' } },
    ],
    expect: {
      status: 'completed',
      completed: ['cancelStart', 'confirmCancel', 'cancelEnd', 'onCancel', 'event-subprocess'],
      completedTimes: { dailyDigest: 1, onDaily: 1 },
      terminated: ['review'],
      notCompleted: ['end'],
      variables: { why: 'resolved by phone' },
    },
  },
];

describeScenarioTable('timeSkipping', runs);
