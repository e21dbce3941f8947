/**
 * Customers' evaluations as they reach the people and outlets who served the complaint: one
 * review per (evaluation, engineer) with its stars, tags and comment (no customer id, no
 * complaint text), the engineer's and the outlet's satisfaction counters, and the public
 * engineer profile built from them. Decision 0045.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { OutletRecord, Satisfaction, StaffRecord } from './models';

export interface ReviewRecord {
  /** `<evaluation id>:stars`: the staff update that carried it, so a retried application writes once. */
  _id: string;
  staffId: string;
  outletId: string | null;
  stars: number;
  tags: string[];
  comment: string | null;
  at: Date;
  /** false between the review's insert and the counters' update (a retry finishes the counting). */
  counted: boolean;
}

/** What an evaluation tells about the engineer besides the stars. */
export interface ReviewInput {
  id: string;
  tags: string[];
  comment: string | null;
  at: Date;
}

const reviewSchema = new Schema<ReviewRecord>({
  _id: String,
  staffId: { type: String, required: true, index: true },
  outletId: { type: String, default: null, index: true },
  stars: { type: Number, required: true, min: 1, max: 5 },
  tags: [String],
  comment: { type: String, default: null },
  at: { type: Date, required: true },
  counted: { type: Boolean, default: false },
}, { versionKey: false, strict: 'throw', collection: 'staff_reviews' });

export function reviewModel(connection: Connection): Model<ReviewRecord> {
  return (connection.models.StaffReview as Model<ReviewRecord> | undefined) ?? connection.model<ReviewRecord>('StaffReview', reviewSchema);
}

const rateOf = (s: Satisfaction | undefined) => (s && s.count > 0 ? s.sum / s.count : 0);
const TAG_WINDOW = 200;
const RECENT_COMMENTS = 5;

/** The public profile: what anyone may see of an engineer. No home, load, customers or complaint ids. */
export interface EngineerProfile {
  id: string;
  name: string;
  photoUrl: string | null;
  rating: { rate: number; count: number };
  skills: string[];
  products: string[];
  languages: string[];
  outlet: { id: string; name: string; rating: number; count: number } | null;
  /** The tags customers gave most, over their last 200 reviews, most frequent first. */
  tags: Array<{ tag: string; count: number }>;
  recentComments: Array<{ stars: number; comment: string; tags: string[]; at: string }>;
}

/** The outlet's rating for ranking: the customers' once rated, else the seeded one. */
export const outletRating = (o: Pick<OutletRecord, 'rating' | 'satisfaction'>) => (o.satisfaction && o.satisfaction.count > 0 ? rateOf(o.satisfaction) : o.rating);

export async function engineerProfile(reviews: Model<ReviewRecord>, staff: StaffRecord, outlet: OutletRecord | null): Promise<EngineerProfile> {
  const latest = await reviews.find({ staffId: staff._id }).sort({ at: -1, _id: 1 }).limit(TAG_WINDOW).lean<ReviewRecord[]>();
  const counts = new Map<string, number>();
  for (const r of latest) for (const tag of r.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return {
    id: staff._id,
    name: staff.name,
    photoUrl: staff.photoUrl ?? null,
    rating: { rate: Math.round(rateOf(staff.satisfaction) * 100) / 100, count: staff.satisfaction?.count ?? 0 },
    skills: staff.skills ?? [],
    products: staff.products ?? [],
    languages: staff.languages ?? [],
    outlet: outlet ? { id: outlet._id, name: outlet.name, rating: Math.round(outletRating(outlet) * 100) / 100, count: outlet.satisfaction?.count ?? 0 } : null,
    tags: [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tag, count]) => ({ tag, count })),
    recentComments: latest.filter((r) => r.comment).slice(0, RECENT_COMMENTS)
      .map((r) => ({ stars: r.stars, comment: r.comment!, tags: r.tags, at: new Date(r.at).toISOString() })),
  };
}
