import { createContext, useContext } from 'react';

/** The case's display time zone (IANA name); times are stored in UTC and only shown in it. */
export const TimeZoneContext = createContext<string>('UTC');

export function useTimeZone(): string {
  return useContext(TimeZoneContext);
}
