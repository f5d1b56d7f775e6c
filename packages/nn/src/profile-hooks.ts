/**
 * The profiler's hooks: while a profile runs, each profiled device's routines and each profiled
 * module's `forward` are shadowed by an own-property wrapper that times the call; when the last
 * profile using them ends, the wrappers are removed, so code that is not profiled runs untouched
 * (no check, no branch). Profiles may nest: the hooks are reference-counted and every active
 * session receives every event.
 * @internal
 */
import type { Device } from "@tessera/blas";
import type { Module } from "./module.js";
import { routineFlops, routineKind, UNWRAPPED } from "./profile-flops.js";

/** Time, calls and FLOPs accumulated under one name. */
export interface Acc {
  calls: number;
  ms: number;
  /** Null once any call's FLOPs were unknown. */
  flops: number | null;
}

/** One profile's accumulators. */
export interface Session {
  /** The modules this session reports, with their dotted paths. */
  readonly paths: Map<Module, string>;
  readonly ops: Map<string, Acc>;
  readonly layers: Map<Module, Acc>;
  /** Routines that ran without a known FLOP count (their time counts, their FLOPs do not). */
  readonly unknown: Set<string>;
}

const sessions: Session[] = [];
const moduleStack: Module[] = [];
/** > 0 while a wrapped device routine runs: routines a device calls on itself are not counted twice. */
let inDevice = 0;

function add(map: Map<string, Acc> | Map<Module, Acc>, key: never, ms: number, flops: number | null, calls = 1): void {
  const m = map as Map<unknown, Acc>;
  let a = m.get(key);
  if (!a) m.set(key, (a = { calls: 0, ms: 0, flops: 0 }));
  a.calls += calls;
  a.ms += ms;
  a.flops = a.flops === null || flops === null ? null : a.flops + flops;
}

function recordDeviceCall(kind: string, ms: number, flops: number | null): void {
  for (const s of sessions) {
    add(s.ops, kind as never, ms, flops);
    if (flops === null) s.unknown.add(kind);
    // Known FLOPs count towards every enclosing layer (rows are inclusive, like their times).
    for (const m of moduleStack) {
      if (!s.paths.has(m)) continue;
      const a = s.layers.get(m);
      if (a) a.flops = (a.flops ?? 0) + (flops ?? 0);
      else s.layers.set(m, { calls: 0, ms: 0, flops: flops ?? 0 });
    }
  }
}

interface Hook {
  count: number;
  /** The own property the wrapper shadows, if there was one. */
  readonly previous: PropertyDescriptor | undefined;
}
const hooks = new WeakMap<object, Map<string, Hook>>();

function install(target: object, key: string, wrap: (original: (...a: unknown[]) => unknown) => (...a: unknown[]) => unknown): void {
  let byKey = hooks.get(target);
  if (!byKey) hooks.set(target, (byKey = new Map()));
  const h = byKey.get(key);
  if (h) {
    h.count++;
    return;
  }
  const original = (target as Record<string, unknown>)[key] as (...a: unknown[]) => unknown;
  byKey.set(key, { count: 1, previous: Object.getOwnPropertyDescriptor(target, key) });
  Object.defineProperty(target, key, { value: wrap(original), writable: true, configurable: true, enumerable: false });
}

function uninstall(target: object, key: string): void {
  const byKey = hooks.get(target);
  const h = byKey?.get(key);
  if (!byKey || !h || --h.count > 0) return;
  byKey.delete(key);
  if (h.previous) Object.defineProperty(target, key, h.previous);
  else delete (target as Record<string, unknown>)[key];
}

/**
 * Names of a device's methods the profiler hooks: every method of its prototype chain. Those in
 * {@link UNWRAPPED} are not timed; their hook only keeps what they call on the device uncounted.
 */
export function deviceRoutines(device: Device): string[] {
  const names = new Set<string>();
  for (let o: object | null = device; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) {
      const d = Object.getOwnPropertyDescriptor(o, k);
      if (d && typeof d.value === "function" && k !== "constructor") names.add(k);
    }
  }
  // What the device resolves the name to must be a method it lets us shadow (an instance may hide
  // a prototype's method, as a device without readSync does).
  return [...names].filter((k) => {
    const own = Object.getOwnPropertyDescriptor(device, k);
    return typeof (device as unknown as Record<string, unknown>)[k] === "function" && (!own || own.configurable || hooks.get(device)?.has(k));
  });
}

function wrapRoutine(name: string) {
  // Asynchronous and bookkeeping methods are not timed, but what they call on the device is theirs.
  if (UNWRAPPED.has(name)) {
    return (original: (...a: unknown[]) => unknown) => function (this: unknown, ...args: unknown[]): unknown {
      inDevice++;
      try {
        return original.apply(this, args);
      } finally {
        inDevice--;
      }
    };
  }
  return (original: (...a: unknown[]) => unknown) => function (this: unknown, ...args: unknown[]): unknown {
    if (inDevice > 0) return original.apply(this, args);
    inDevice++;
    const t0 = performance.now();
    let r: unknown;
    try {
      r = original.apply(this, args);
    } finally {
      inDevice--;
    }
    const ms = performance.now() - t0;
    // An optional fused routine that declined the geometry did no work: the lowering it falls back
    // to is recorded instead.
    if (!(r === false && name.startsWith("conv"))) recordDeviceCall(routineKind(name, args), ms, routineFlops(name, args));
    return r;
  };
}

function wrapForward(m: Module) {
  return (original: (...a: unknown[]) => unknown) => function (this: unknown, ...args: unknown[]): unknown {
    if (moduleStack.includes(m)) return original.apply(this, args);
    moduleStack.push(m);
    const t0 = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      const ms = performance.now() - t0;
      moduleStack.pop();
      for (const s of sessions) if (s.paths.has(m)) add(s.layers, m as never, ms, 0);
    }
  };
}

/** Starts a session: hooks the devices and modules, and makes the session receive events. */
export function begin(session: Session, devices: readonly Device[]): void {
  for (const d of devices) for (const k of deviceRoutines(d)) install(d, k, wrapRoutine(k));
  for (const m of session.paths.keys()) install(m, "forward", wrapForward(m));
  sessions.push(session);
}

/** Ends a session and removes the hooks no other session needs. */
export function end(session: Session, devices: readonly Device[]): void {
  const i = sessions.lastIndexOf(session);
  if (i >= 0) sessions.splice(i, 1);
  for (const m of session.paths.keys()) uninstall(m, "forward");
  for (const d of devices) for (const k of deviceRoutines(d)) uninstall(d, k);
}
