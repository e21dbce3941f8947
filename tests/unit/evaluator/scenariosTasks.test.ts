/**
 * The evaluator's scenario table (the runner: ./script.ts), its rows for tasks, links, starts,
 * cancel and incidents, and FEEL failures: strict, and as Camunda 8.3+ evaluates them.
 */
import { HOUR, MIN, T0, describeScenarios, type Scenario } from './script';

const scenarios: Scenario[] = [
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

describeScenarios(scenarios);
