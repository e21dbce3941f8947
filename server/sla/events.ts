/**
 * What the SLA engine's projection writer tells the rest of the service after it wrote an SLA
 * document, once per transition it applied (not for skipped, replayed or older writes):
 * the overview's clock index, the Prometheus counters and the breach alerts hang off it.
 */
import type { AlertNotifier } from '../alerts/notifier';
import type { Logger } from '../log';
import type { SlaMetrics } from '../metrics';
import type { SlaBreachRecord, SlaClockRecord } from '../projections/slaModels';
import type { ClockIndex } from './clockIndex';
import type { SlaFeedPublisher } from './feed';

export interface SlaWriteObserver {
  /** A clock document was written (inserted or updated): the record as stored. */
  clockWritten(record: SlaClockRecord): void;
  /** A warning threshold (percent) fired on a clock, once per threshold. */
  warningFired(record: SlaClockRecord, thresholdPercent: number): void;
  /** A breach record was inserted (it is written once). */
  breachRecorded(record: SlaBreachRecord): void;
}

/**
 * `clocks`: this process's overview index (absent in a worker-only process); `feed`: the
 * SLA feed other processes' indexes follow (decision 0014).
 */
export function slaWriteObserver(parts: { clocks?: ClockIndex | undefined; feed?: SlaFeedPublisher | undefined; metrics: SlaMetrics; alerts?: AlertNotifier | undefined; log: Logger }): SlaWriteObserver {
  // Observers must never fail the write that told them.
  const guarded = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      parts.log.warn({ err }, `SLA observer failed: ${what}`);
    }
  };
  return {
    clockWritten(record) {
      guarded('clock index', () => parts.clocks?.apply(record));
      guarded('SLA feed', () => parts.feed?.add(record));
    },
    warningFired: (record) => guarded('warning metric', () => parts.metrics.warningFired(record.metric, record.severity)),
    breachRecorded(record) {
      guarded('breach metric', () => parts.metrics.breachRecorded(record.metric, record.severity));
      guarded('breach alert', () => parts.alerts?.onBreach(record));
    },
  };
}
