/** Value types the configuration sections share (server/config.ts parses them all at once). */
import { z } from 'zod';

export const port = z.coerce.number().int().min(1).max(65535);
export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
export const optionalString = z.string().trim().min(1).optional();
export const csv = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

export const GROUP_ID = /^[a-z][a-z0-9-]{0,63}$/;
export const isoDuration = z.string().regex(/^P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'an ISO 8601 duration such as PT4H or P1D');
