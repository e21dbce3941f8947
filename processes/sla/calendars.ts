/**
 * The business calendars shipped with the service (processes/calendars/*.json). A policy
 * names one by id; the compiler copies it into the model, so a running instance keeps the
 * calendar it was deployed with and the workflow reads it as data (docs/sla.md).
 */
import type { BusinessCalendar } from '../calendar';
import aroundTheClock from '../calendars/around-the-clock.json';
import berlinOffice from '../calendars/berlin-office.json';
import shanghaiOffice from '../calendars/shanghai-office.json';

const SHIPPED = [berlinOffice, shanghaiOffice, aroundTheClock] as unknown as BusinessCalendar[];

/** Shipped calendars by id (each is validated by the compiler before use). */
export const SHIPPED_CALENDARS: ReadonlyMap<string, BusinessCalendar> = new Map(SHIPPED.map((c) => [c.id, c]));
