/**
 * The parts of bpmn-moddle's object tree that the compiler reads. bpmn-moddle ships
 * generated types, but they are not reachable under this project's module resolution,
 * and a narrow local view documents exactly what we depend on.
 */
export interface MElement {
  $type: string;
  $parent?: MElement;
  $instanceOf(type: string): boolean;
  /** moddle's accessor; for collections it creates the (empty) array on first use. */
  get(name: string): unknown;
  id?: string;
  name?: string;
}

export interface MExtensionElements extends MElement {
  values?: MElement[];
}

export interface MBaseElement extends MElement {
  extensionElements?: MExtensionElements;
}

export interface MFormalExpression extends MElement {
  body?: string;
  language?: string;
}

export interface MSequenceFlow extends MBaseElement {
  sourceRef?: MFlowNode;
  targetRef?: MFlowNode;
  conditionExpression?: MFormalExpression;
}

export interface MEventDefinition extends MBaseElement {
  messageRef?: MBaseElement;
  signalRef?: MBaseElement;
  errorRef?: MElement & { errorCode?: string };
  escalationRef?: MElement & { escalationCode?: string };
  timeDuration?: MFormalExpression;
  timeDate?: MFormalExpression;
  timeCycle?: MFormalExpression;
  /** Compensation throw events: the one activity to compensate, and whether to wait. */
  activityRef?: MElement;
  waitForCompletion?: boolean;
}

export interface MLoopCharacteristics extends MBaseElement {
  isSequential?: boolean;
  completionCondition?: MFormalExpression;
  loopCardinality?: MFormalExpression;
}

export interface MFlowNode extends MBaseElement {
  incoming?: MSequenceFlow[];
  outgoing?: MSequenceFlow[];
  default?: MSequenceFlow;
  eventDefinitions?: MEventDefinition[];
  loopCharacteristics?: MLoopCharacteristics;
  /** Subprocesses */
  flowElements?: MElement[];
  artifacts?: MElement[];
  triggeredByEvent?: boolean;
  /** Start events */
  isInterrupting?: boolean;
  /** Boundary events */
  attachedToRef?: MFlowNode;
  cancelActivity?: boolean;
  /** Receive tasks */
  messageRef?: MBaseElement;
  isForCompensation?: boolean;
  /** Event-based gateways */
  instantiate?: boolean;
  eventGatewayType?: string;
  /** Ad-hoc subprocesses */
  completionCondition?: MFormalExpression;
  cancelRemainingInstances?: boolean;
}

export interface MProcess extends MBaseElement {
  isExecutable?: boolean;
  flowElements?: MElement[];
  /** Associations (compensation boundary event -> handler), text annotations, groups. */
  artifacts?: MElement[];
}

export interface MAssociation extends MElement {
  sourceRef?: MElement;
  targetRef?: MElement;
}

export interface MDefinitions extends MElement {
  rootElements?: MElement[];
}

/** A zeebe extension element of a given type, with its string attributes. */
export type MZeebe = MElement & Record<string, unknown>;
