/**
 * Users and sessions in MongoDB. A session document is keyed by the SHA-256 of its token, so
 * the database never holds a usable token. FerretDB has no TTL index: expiry is checked on
 * every use and expired sessions are purged at login.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { Role } from './roles';

export interface UserRecord {
  _id: string;
  /** Lower-cased; unique. */
  email: string;
  name: string;
  roles: Role[];
  passwordHash: string;
  /** Staff: departments they belong to and candidate groups they work in. */
  departments: string[];
  groups: string[];
  staffId: string | null;
  /** Customers: the customer record they are. */
  customerId: string | null;
  createdAt: Date;
}

export interface SessionRecord {
  /** sha256(token), hex. */
  _id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

const userSchema = new Schema<UserRecord>({
  _id: String,
  email: { type: String, required: true, unique: true },
  name: { type: String, required: true },
  roles: { type: [String], required: true },
  passwordHash: { type: String, required: true },
  departments: { type: [String], default: [] },
  groups: { type: [String], default: [] },
  staffId: { type: String, default: null },
  customerId: { type: String, default: null },
  createdAt: { type: Date, required: true },
}, { versionKey: false });
userSchema.index({ roles: 1 });

const sessionSchema = new Schema<SessionRecord>({
  _id: String,
  userId: { type: String, required: true, index: true },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true, index: true },
}, { versionKey: false });

export interface AuthModels {
  users: Model<UserRecord>;
  sessions: Model<SessionRecord>;
}

export function authModels(connection: Connection): AuthModels {
  return {
    users: connection.models.User as Model<UserRecord> ?? connection.model<UserRecord>('User', userSchema, 'users'),
    sessions: connection.models.Session as Model<SessionRecord> ?? connection.model<SessionRecord>('Session', sessionSchema, 'sessions'),
  };
}
