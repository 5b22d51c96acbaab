import { Counter, Gauge, type Registry } from "prom-client";

export interface SharedStateMetrics {
  /** 1 while flood waits, budgets and access hashes are shared through Redis, 0 on local state. */
  readonly available: Gauge;
  /** Budget and flood-wait decisions made on local state because Redis was away. */
  readonly localDecisions: Counter;
}

export function sharedStateMetrics(registry: Registry): SharedStateMetrics {
  const registers = [registry];
  return {
    available: new Gauge({
      name: "shared_state_available",
      help: "1 while flood waits, call budgets and access hashes are shared with other replicas through Redis; 0 while this replica runs on local state.",
      registers,
    }),
    localDecisions: new Counter({
      name: "shared_state_local_decisions_total",
      help: "Call-budget and flood-wait decisions made on this replica's local state because Redis was unavailable.",
      registers,
    }),
  };
}
