/**
 * Published messages with a time-to-live, kept until they expire (`buffered_messages`), and
 * which process each was delivered to (`message_deliveries`). FerretDB has no transactions and
 * its conditional updates are "query, then write" (decision 0008), so a delivery is claimed by
 * inserting a document with a unique `_id` (message, process key): of several deliverers (the
 * publishing API process, the projection writer of any worker that sees the subscription
 * open) exactly one inserts it. A message reaches each process at most once, as in Zeebe.
 */
import { Schema, trusted, type Connection, type Model } from 'mongoose';
import type { Variables } from '../../processes/evaluator';

export interface BufferedMessage {
  /** The message key: `msg-<uuid>`, or a hash of name, correlation key and messageId. */
  _id: string;
  name: string;
  correlationKey: string | null;
  /** projections subscriptionKey(name, correlationKey): what a subscription is found by. */
  subscriptionKey: string;
  variables: Variables;
  publishedAt: Date;
  expiresAt: Date;
}

export interface MessageDelivery {
  /** `<message key>\u001f<process key>` */
  _id: string;
  messageKey: string;
  processKey: string;
  instanceId: string | null;
  at: Date;
}

const bufferedSchema = new Schema<BufferedMessage>({
  _id: String,
  name: String,
  correlationKey: { type: String, default: null },
  subscriptionKey: { type: String, index: true },
  variables: { type: Schema.Types.Mixed, default: {} },
  publishedAt: Date,
  expiresAt: Date,
}, { versionKey: false, minimize: false });

const deliverySchema = new Schema<MessageDelivery>({
  _id: String,
  messageKey: { type: String, index: true },
  processKey: String,
  instanceId: { type: String, default: null },
  at: Date,
}, { versionKey: false });

export interface MessageBuffer {
  messages: Model<BufferedMessage>;
  deliveries: Model<MessageDelivery>;
  /** Claims the delivery of `messageKey` to `processKey`; false when it was delivered there already. */
  claim(messageKey: string, processKey: string): Promise<boolean>;
  /** Gives a claim back (the delivery did not happen after all). */
  release(messageKey: string, processKey: string): Promise<void>;
  noteInstance(messageKey: string, processKey: string, instanceId: string): Promise<void>;
  /** Unexpired messages for these subscription keys, oldest first. */
  waitingFor(subscriptionKeys: string[], now: Date): Promise<BufferedMessage[]>;
  /** Removes expired messages and their delivery claims. */
  expire(now: Date): Promise<void>;
}

const deliveryId = (messageKey: string, processKey: string) => `${messageKey}\u001f${processKey}`;

export function messageBuffer(connection: Connection): MessageBuffer {
  const messages = (connection.models.BufferedMessage as Model<BufferedMessage>) ??
    connection.model<BufferedMessage>('BufferedMessage', bufferedSchema, 'buffered_messages');
  const deliveries = (connection.models.MessageDelivery as Model<MessageDelivery>) ??
    connection.model<MessageDelivery>('MessageDelivery', deliverySchema, 'message_deliveries');
  return {
    messages,
    deliveries,
    async claim(messageKey, processKey) {
      try {
        await deliveries.create({ _id: deliveryId(messageKey, processKey), messageKey, processKey, instanceId: null, at: new Date() });
        return true;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return false;
        throw err;
      }
    },
    async release(messageKey, processKey) {
      await deliveries.deleteOne({ _id: deliveryId(messageKey, processKey) }).exec();
    },
    async noteInstance(messageKey, processKey, instanceId) {
      await deliveries.updateOne({ _id: deliveryId(messageKey, processKey) }, { $set: { instanceId } }).exec();
    },
    async waitingFor(subscriptionKeys, now) {
      if (subscriptionKeys.length === 0) return [];
      return messages.find({ subscriptionKey: trusted({ $in: subscriptionKeys }), expiresAt: trusted({ $gt: now }) }).sort({ publishedAt: 1, _id: 1 }).lean().exec();
    },
    async expire(now) {
      const expired = await messages.find({ expiresAt: trusted({ $lte: now }) }, { _id: 1 }).lean().exec();
      if (expired.length === 0) return;
      const keys = expired.map((m) => m._id);
      await deliveries.deleteMany({ messageKey: trusted({ $in: keys }) }).exec();
      await messages.deleteMany({ _id: trusted({ $in: keys }) }).exec();
    },
  };
}
