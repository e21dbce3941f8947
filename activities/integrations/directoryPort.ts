/**
 * What `dispatch.recommend` may ask of the staff directory (server/domain/directory implements
 * it; wiring passes it as `IntegrationDeps.directory`). Declared here so activities/ does not
 * import server/ (the layer rule in eslint.config.mjs); the server's DirectoryService fits it,
 * which the type check of server/wiring.ts proves.
 */
export interface DispatchRequest {
  location?: { lat: number; lon: number };
  product?: string;
  skill?: string;
  region?: string;
  language?: string;
  /** Only engineers qualify when true. */
  onSite?: boolean;
  favouriteStaffId?: string;
  /** Fills language, region and favourite from the customer when not given. */
  customerId?: string;
  limit?: number;
}

export interface DispatchRecommendation {
  staffId: string;
  name: string;
  score: number;
  distanceKm: number | null;
  reasons: string[];
}

export interface DirectoryPort {
  /** Ranked top `limit` (default 3); rejects with `code: 'customer_not_found'` for an unknown customerId. */
  recommend(request: DispatchRequest): Promise<DispatchRecommendation[]>;
}
