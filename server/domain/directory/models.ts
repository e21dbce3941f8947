/**
 * The staff directory: departments, service outlets, staff and customers. Ids are stable
 * strings (`dep-after-sales`, `outlet-03`, `staff-017`, `cust-004`) so the demo seed can upsert
 * them and processes can keep them in variables.
 *
 * No geo indexes: FerretDB 1.24 has no 2dsphere or $near, so distances are computed in code
 * (server/domain/dispatch/rank.ts) over the few hundred on-duty candidates.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { GeoPoint } from '../dispatch/rank';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const CUSTOMER_TIERS = ['standard', 'silver', 'gold', 'platinum'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

export interface DepartmentRecord {
  _id: string;
  /** `after-sales`, `technical`, ... */
  key: string;
  name: string;
  /** The BPMN user tasks' `candidateGroups` entry for this department. */
  candidateGroup: string;
}

export interface OpeningHours {
  day: Weekday;
  /** `HH:MM`, local time. */
  open: string;
  close: string;
}

export interface OutletRecord {
  _id: string;
  name: string;
  location: GeoPoint;
  /** Days missing from the list are closed. */
  openingHours: OpeningHours[];
  /** 0..5: the seeded rating, used until customers have rated the outlet's engineers. */
  rating: number;
  departmentKeys: string[];
  /** The evaluations of complaints its engineers served. Absent on old documents. */
  satisfaction?: Satisfaction;
}

export interface Satisfaction {
  sum: number;
  count: number;
  /** sum / count, 0 while count is 0. */
  rate: number;
}

export interface StaffRecord {
  _id: string;
  name: string;
  roles: string[];
  skills: string[];
  products: string[];
  outletId: string | null;
  regions: string[];
  /** Languages and dialects, e.g. `Mandarin`, `Shanghainese`. */
  languages: string[];
  /** Personal data: used for distances, never listed by the API. */
  home: GeoPoint | null;
  currentLoad: number;
  /** Open complaints at which someone counts as fully loaded. */
  maxLoad: number;
  onDuty: boolean;
  satisfaction: Satisfaction;
  /** A public picture for the engineer's profile (absolute https URL or a path on this server); null: initials. */
  photoUrl?: string | null;
}

export interface CustomerRecord {
  _id: string;
  name: string;
  tier: CustomerTier;
  region: string;
  language: string;
  favouriteStaffId?: string | null;
}

const point = { _id: false, lat: { type: Number, required: true, min: -90, max: 90 }, lon: { type: Number, required: true, min: -180, max: 180 } };
const options = { versionKey: false as const, strict: 'throw' as const };

const departmentSchema = new Schema<DepartmentRecord>({
  _id: String,
  key: { type: String, required: true, unique: true },
  name: { type: String, required: true },
  candidateGroup: { type: String, required: true },
}, { ...options, collection: 'departments' });

const outletSchema = new Schema<OutletRecord>({
  _id: String,
  name: { type: String, required: true },
  location: { type: point, required: true },
  openingHours: [{ _id: false, day: { type: String, enum: WEEKDAYS, required: true }, open: String, close: String }],
  rating: { type: Number, min: 0, max: 5, default: 0 },
  departmentKeys: [String],
  satisfaction: { _id: false, sum: { type: Number, default: 0 }, count: { type: Number, default: 0 }, rate: { type: Number, default: 0 } },
}, { ...options, collection: 'outlets' });

const staffSchema = new Schema<StaffRecord>({
  _id: String,
  name: { type: String, required: true },
  roles: [String],
  skills: { type: [String], index: true },
  products: [String],
  outletId: { type: String, default: null, index: true },
  regions: [String],
  languages: [String],
  home: { type: point, default: null },
  currentLoad: { type: Number, default: 0, min: 0 },
  maxLoad: { type: Number, default: 5, min: 1 },
  onDuty: { type: Boolean, default: false, index: true },
  satisfaction: {
    _id: false,
    sum: { type: Number, default: 0 },
    count: { type: Number, default: 0 },
    rate: { type: Number, default: 0 },
  },
  photoUrl: { type: String, default: null },
}, { ...options, collection: 'staff' });

const customerSchema = new Schema<CustomerRecord>({
  _id: String,
  name: { type: String, required: true },
  tier: { type: String, enum: CUSTOMER_TIERS, default: 'standard' },
  region: String,
  language: String,
  favouriteStaffId: { type: String, default: null },
}, { ...options, collection: 'customers' });

export interface DirectoryModels {
  departments: Model<DepartmentRecord>;
  outlets: Model<OutletRecord>;
  staff: Model<StaffRecord>;
  customers: Model<CustomerRecord>;
}

/** The models bound to `connection` (each connection its own, so tests can hold several). */
export function directoryModels(connection: Connection): DirectoryModels {
  const model = <T>(name: string, schema: Schema<T>) => (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
  return {
    departments: model('Department', departmentSchema),
    outlets: model('Outlet', outletSchema),
    staff: model('Staff', staffSchema),
    customers: model('Customer', customerSchema),
  };
}
