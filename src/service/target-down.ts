// A target that stops answering is an alert of its own, `target_down{target, instance}`, raised once it has
// failed for `down_after` (Prometheus users write `up == 0 for: 5m`). Its transitions are shaped exactly
// like the detector's, so they take the normal escalation path: routes, grouping, silences, pages.
// While it is down, the alerts its series fed are held as they are (stale, not resolved): see the
// detector's unreachableTargets.
import { alertId } from '../detect/alert-event.js';
import type { AlertEvent } from '../model/index.js';
import type { TargetConfig } from './config.js';
import type { ServiceAlert } from './types.js';

export const TARGET_DOWN_RULE = 'target_down';
export const DEFAULT_DOWN_AFTER_MS = 5 * 60_000;

interface Watch {
  config: TargetConfig;
  /** Since when every scrape failed (undefined while it answers). */
  downSinceMs?: number;
  lastError?: string;
  /** The alert raised, while it is firing. */
  firing?: { activeSinceMs: number; id: string; labels: Record<string, string> };
}

export class TargetDownWatch {
  readonly #watches = new Map<string, Watch>();
  /** Alerts of targets removed from the config while firing: resolved at the next evaluation. */
  #orphans: Array<NonNullable<Watch['firing']> & { target: string }> = [];

  setTargets(targets: readonly TargetConfig[]): void {
    const wanted = new Set(targets.map((t) => t.name));
    for (const [name, watch] of this.#watches) {
      if (wanted.has(name)) continue;
      if (watch.firing) this.#orphans.push({ ...watch.firing, target: name });
      this.#watches.delete(name);
    }
    for (const t of targets) {
      const watch = this.#watches.get(t.name);
      if (watch) watch.config = t;
      else this.#watches.set(t.name, { config: t });
    }
  }

  /** After a restart: target_down alerts that were firing stay firing (and resolve when the target answers). */
  restore(alerts: readonly ServiceAlert[]): void {
    for (const alert of alerts) {
      if (alert.rule !== TARGET_DOWN_RULE || alert.state !== 'firing') continue;
      const target = alert.labels.target ?? '';
      const firing = { activeSinceMs: Date.parse(alert.activeSince), id: alert.id, labels: { ...alert.labels } };
      const watch = this.#watches.get(target);
      if (!watch) this.#orphans.push({ ...firing, target });
      else {
        watch.firing = firing;
        watch.downSinceMs ??= firing.activeSinceMs;
      }
    }
  }

  scraped(target: string, ok: boolean, atMs: number, error?: string): void {
    const watch = this.#watches.get(target);
    if (!watch) return;
    if (ok) watch.downSinceMs = undefined;
    else {
      watch.downSinceMs ??= atMs;
      watch.lastError = error;
    }
  }

  /** Targets failing right now: the detector holds the alerts their series fed. */
  unreachable(): Set<string> {
    const names = new Set<string>();
    for (const [name, watch] of this.#watches) if (watch.downSinceMs !== undefined) names.add(name);
    return names;
  }

  /** target_down transitions due at `nowMs`: firing after down_after, resolved once it answers again. */
  transitions(nowMs: number): AlertEvent[] {
    const events: AlertEvent[] = [];
    for (const orphan of this.#orphans) events.push(event(orphan, 'resolved', nowMs, `target ${orphan.target} is no longer scraped`));
    this.#orphans = [];
    for (const [name, watch] of this.#watches) {
      const bound = watch.config.downAfterMs ?? DEFAULT_DOWN_AFTER_MS;
      if (watch.downSinceMs !== undefined && !watch.firing && nowMs - watch.downSinceMs >= bound) {
        const labels: Record<string, string> = { target: name, ...(watch.config.instance !== undefined ? { instance: watch.config.instance } : {}) };
        watch.firing = { activeSinceMs: watch.downSinceMs, id: alertId(TARGET_DOWN_RULE, labels), labels };
        const since = new Date(watch.downSinceMs).toISOString();
        events.push(event(watch.firing, 'firing', nowMs, `target ${name} has not answered a scrape since ${since} (${watch.lastError ?? 'no answer'}); its alerts are held until it does`));
      } else if (watch.downSinceMs === undefined && watch.firing) {
        events.push(event(watch.firing, 'resolved', nowMs, `target ${name} answers scrapes again`));
        watch.firing = undefined;
      }
    }
    return events;
  }
}

function event(firing: NonNullable<Watch['firing']>, state: 'firing' | 'resolved', nowMs: number, summary: string): AlertEvent {
  const downForS = Math.round((nowMs - firing.activeSinceMs) / 1000);
  return {
    id: firing.id,
    rule: TARGET_DOWN_RULE,
    state,
    severity: 'critical',
    labels: firing.labels,
    at: new Date(nowMs).toISOString(),
    atMs: nowMs,
    value: downForS,
    summary,
    activeSinceMs: firing.activeSinceMs,
  };
}
