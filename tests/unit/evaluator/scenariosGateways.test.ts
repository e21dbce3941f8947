/**
 * The evaluator's scenario table (the runner: ./script.ts), its rows for gateways: exclusive,
 * parallel, inclusive and event-based.
 */
import { HOUR, T0, describeScenarios, type Scenario } from './script';

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
];

describeScenarios(scenarios);
