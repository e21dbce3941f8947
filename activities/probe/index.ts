/** The activity half of the health probe: echoes the nonce so the caller knows it ran. */
export function createProbeActivities() {
  return {
    async healthProbeEcho(nonce: string): Promise<string> {
      return `pong:${nonce}`;
    },
  };
}

export type ProbeActivities = ReturnType<typeof createProbeActivities>;
