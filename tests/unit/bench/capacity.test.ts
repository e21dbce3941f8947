import { capacityFigures } from '../../../bench/complaints/capacity';

const figures = (lines: ReturnType<typeof capacityFigures>) => Object.fromEntries(lines.map(([name, value]) => [name, value]));

describe('capacity figures of a bench run', () => {
  const cpuSeconds = new Map([['worker_api', 40], ['ferretdb', 20], ['postgresql', 15], ['temporal', 15]]);

  it('divides each process by the lifecycles filed and derives the rates the machine allows', () => {
    // given 200 lifecycles filed and closed at 5/s on 2 cores, 90 core-s in all, 20,000 commands
    const f = figures(capacityFigures({ rate: 5, filed: 200, closed: 200, dbCommands: 20_000, cores: 2, cpuSeconds }));
    // then each process's share of a lifecycle, the database's price of a command, and the rates
    expect(f).toEqual({
      cpu_seconds_per_lifecycle_worker_api: 0.2,
      cpu_seconds_per_lifecycle_ferretdb: 0.1,
      cpu_seconds_per_lifecycle_postgresql: 0.075,
      cpu_seconds_per_lifecycle_temporal: 0.075,
      db_cpu_ms_per_command: 1.75,
      cores_needed_at_rate: 2.25,
      cpu_bound_rate: 4.44,
      cpu_bound_rate_servers_only: 8,
    });
  });

  it('prints no derived rate when lifecycles were left open, whose cost was only partly paid', () => {
    const f = figures(capacityFigures({ rate: 10, filed: 600, closed: 193, dbCommands: 50_000, cores: 2, cpuSeconds }));
    expect(f.cores_needed_at_rate).toBe('n/a');
    expect(f.cpu_bound_rate).toBe('n/a');
    expect(f.cpu_bound_rate_servers_only).toBe('n/a');
    expect(f.cpu_seconds_per_lifecycle_worker_api).toBe(0.0667);
  });

  it('names no database price without a database process (an external MONGODB_URI), and nothing without lifecycles', () => {
    const external = new Map([['worker_api', 40], ['temporal', 15]]);
    expect(figures(capacityFigures({ rate: 5, filed: 200, closed: 200, dbCommands: 20_000, cores: 2, cpuSeconds: external })))
      .not.toHaveProperty('db_cpu_ms_per_command');
    expect(capacityFigures({ rate: 5, filed: 0, closed: 0, dbCommands: 0, cores: 2, cpuSeconds })).toEqual([]);
  });
});
