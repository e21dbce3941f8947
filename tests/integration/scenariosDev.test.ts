/**
 * The evaluator's scenario table, end to end on Temporal through the HTTP API: deploy the
 * fixture, start an instance, drive it with the same stimuli (messages via POST /api/messages,
 * user tasks via /api/tasks, timers by moving the time-skipping server's clock, incidents via
 * PUT variables + resolve), then check the outcome through GET /api/instances/{id} and its
 * history. Expectations use the table's shape (tests/unit/evaluator/script.ts `Expectation`)
 * and copy its outcomes; each scenario names the table row it replays. Here: the rows
 * for the dev server.
 */
import { describeScenarioTable, waitsAt, times, type Run } from '../support/scenarioTable';

const runs: Run[] = [
  {
    name: 'a correlation key that cannot be evaluated is an incident',
    fixture: 'message-catch',
    temporal: 'dev',
    script: [
      { until: (i) => i.incidents.some((x) => x.type === 'EXTRACT_VALUE_ERROR' && x.elementId === 'waitReply'), what: 'incident' },
      { message: 'reply', key: 'C-9', rejected: true },
      { set: { caseId: 'C-9' } },
      { resolve: 'waitReply' },
      { until: (i) => waitsAt('waitReply')(i) && i.incidents.length === 0, what: 'subscription after resolve' },
      { message: 'reply', key: 'C-9', vars: { answer: 'late' } },
      { until: (i) => i.activeElements.includes('ack'), what: 'receive task waiting' },
      { message: 'reply', key: 'C-9' },
    ],
    expect: { status: 'completed', variables: { reply: { text: 'late' }, caseId: 'C-9' }, completed: ['waitReply', 'ack', 'end'] },
  },
  {
    name: 'message boundaries: non-interrupting fires repeatedly, interrupting ends the task',
    fixture: 'boundary-message',
    temporal: 'dev',
    variables: { caseId: 'K1' },
    script: [
      { until: waitsAt('handle'), what: 'task open' },
      { message: 'note-added', key: 'K1' },
      { until: (_i, h) => times(h, 'completed', 'logNote') === 1, what: 'first note' },
      { message: 'note-added', key: 'K1' },
      { until: (i, h) => times(h, 'completed', 'logNote') === 2 && i.activeElements.includes('handle'), what: 'second note, task open' },
      { message: 'withdrawn', key: 'K1' },
    ],
    expect: {
      status: 'completed',
      completed: ['onWithdrawn', 'endWithdrawn'],
      completedTimes: { logNote: 2 },
      terminated: ['handle'],
      notCompleted: ['handle', 'end'],
    },
  },
  {
    name: 'event subprocess subscriptions close when the parent completes normally',
    fixture: 'event-subprocess',
    temporal: 'dev',
    variables: { caseId: 'E2' },
    script: [{ userTask: 'review' }],
    expect: { status: 'completed', completed: ['review', 'end'], activated: ['event-subprocess', 'start', 'review', 'end'] },
  },
  // ---- user tasks ---------------------------------------------------------------------
  {
    name: 'user task: assignment, candidates, schedule and form are evaluated; outputs map the result',
    fixture: 'user-task',
    temporal: 'dev',
    variables: { owner: 'dana', backups: ['eve'], due: '2025-01-08T17:00:00+01:00' },
    script: [{ userTask: 'triage', vars: { severity: 'high' } }],
    expect: { status: 'completed', variables: { triage: { severity: 'high' } }, absentVariables: ['severity'], activated: ['user-task', 'start', 'triage', 'end'] },
  },
  {
    name: 'parallel fork runs all branches; the join fires once after the last arrives',
    fixture: 'parallel',
    temporal: 'dev',
    script: [{ userTask: 'c' }],
    expect: { status: 'completed', completed: ['c', 'join', 'end'], completedTimes: { a: 1, b: 1, c: 1, join: 1, end: 1 } },
  },
];

describeScenarioTable('dev', runs);
