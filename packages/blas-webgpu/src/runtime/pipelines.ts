/**
 * Compute pipelines, bind group layouts and bind groups, each created once and cached.
 * A kernel is a list of WGSL sources composed into one module, an entry point, its storage
 * bindings and its pipeline constants; the cache key contains every one of them.
 * @internal
 */
import { SHADERS, type ShaderName } from "../generated/shaders.js";
import { STAGE_COMPUTE } from "./gpu-flags.js";

/** Access of a storage binding. @internal */
export type Access = "read" | "write";

/** What a dispatch runs. Binding 0 is the uniform; storage bindings are numbered 1, 2, … unless `slots` says otherwise. @internal */
export interface Kernel {
  /** WGSL sources, concatenated in this order. */
  readonly sources: readonly ShaderName[];
  /** Entry point (default `main`). */
  readonly entry?: string;
  /** Access of the storage bindings, in order. */
  readonly bindings: readonly Access[];
  /** Binding numbers of the storage bindings (default 1…n): an entry point may use a subset of a module's. */
  readonly slots?: readonly number[];
  /** Pipeline-overridable constants. */
  readonly constants?: Readonly<Record<string, number>>;
}

/** The cache key of a kernel: every specialisation input. @internal */
export function kernelKey(k: Kernel): string {
  const constants = Object.entries(k.constants ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)).map(([n, v]) => `${n}=${v}`);
  return `${k.sources.join("+")}:${k.entry ?? "main"}:${bindingsKey(k)}:${constants.join(",")}`;
}

function slotsOf(k: Kernel): readonly number[] {
  return k.slots ?? k.bindings.map((_, i) => i + 1);
}

function bindingsKey(k: Kernel): string {
  const slots = slotsOf(k);
  return k.bindings.map((a, i) => `${slots[i]}${a === "read" ? "r" : "w"}`).join(",");
}

/** A compiled kernel. @internal */
export interface CompiledKernel {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  /** Cache key of the layout, for bind groups. */
  readonly layoutKey: string;
  /** Binding numbers of the storage buffers. */
  readonly slots: readonly number[];
}

/** Most bind groups kept; the cache is cleared when it grows past this. @internal */
const MAX_BIND_GROUPS = 4096;

/** @internal */
export class PipelineCache {
  private readonly modules = new Map<string, GPUShaderModule>();
  private readonly layouts = new Map<string, [GPUBindGroupLayout, GPUPipelineLayout]>();
  private readonly pipelines = new Map<string, CompiledKernel>();
  private readonly bindGroups = new Map<string, GPUBindGroup>();
  private readonly ids = new WeakMap<GPUBuffer, number>();
  private nextId = 1;

  constructor(
    private readonly device: GPUDevice,
    /** The uniform arena bound at binding 0 with a dynamic offset. */
    private readonly arena: GPUBuffer,
    /** Bytes of one parameter slot. */
    private readonly slotBytes: number,
  ) {}

  /** Number of compiled pipelines (for tests). */
  get size(): number {
    return this.pipelines.size;
  }

  /** The pipeline of a kernel, compiled on first use. */
  get(kernel: Kernel): CompiledKernel {
    const key = kernelKey(kernel);
    let compiled = this.pipelines.get(key);
    if (!compiled) {
      const [layout, pipelineLayout, layoutKey] = this.layout(kernel);
      const pipeline = this.device.createComputePipeline({
        label: key,
        layout: pipelineLayout,
        compute: { module: this.module(kernel.sources), entryPoint: kernel.entry ?? "main", constants: { ...kernel.constants } },
      });
      compiled = { pipeline, layout, layoutKey, slots: slotsOf(kernel) };
      this.pipelines.set(key, compiled);
    }
    return compiled;
  }

  /** A bind group of the arena and `buffers` (storage bindings 1…n) for a compiled kernel. */
  bindGroup(compiled: CompiledKernel, buffers: readonly GPUBuffer[]): GPUBindGroup {
    const key = `${compiled.layoutKey}|${buffers.map((b) => this.id(b)).join(",")}`;
    let group = this.bindGroups.get(key);
    if (!group) {
      if (this.bindGroups.size >= MAX_BIND_GROUPS) this.bindGroups.clear();
      group = this.device.createBindGroup({
        layout: compiled.layout,
        entries: [
          { binding: 0, resource: { buffer: this.arena, offset: 0, size: this.slotBytes } },
          ...buffers.map((buffer, i) => ({ binding: compiled.slots[i], resource: { buffer } })),
        ],
      });
      this.bindGroups.set(key, group);
    }
    return group;
  }

  /** Forgets bind groups that use `buffer` (called before it is destroyed). */
  forget(buffer: GPUBuffer): void {
    const id = this.ids.get(buffer);
    if (id === undefined) return;
    const tag = String(id);
    for (const key of this.bindGroups.keys()) {
      if (key.slice(key.indexOf("|") + 1).split(",").includes(tag)) this.bindGroups.delete(key);
    }
  }

  private id(b: GPUBuffer): number {
    let id = this.ids.get(b);
    if (id === undefined) this.ids.set(b, (id = this.nextId++));
    return id;
  }

  private module(sources: readonly ShaderName[]): GPUShaderModule {
    const key = sources.join("+");
    let m = this.modules.get(key);
    if (!m) {
      m = this.device.createShaderModule({ label: key, code: sources.map((s) => SHADERS[s]).join("\n") });
      this.modules.set(key, m);
    }
    return m;
  }

  private layout(kernel: Kernel): [GPUBindGroupLayout, GPUPipelineLayout, string] {
    const key = bindingsKey(kernel);
    const slots = slotsOf(kernel);
    let entry = this.layouts.get(key);
    if (!entry) {
      const layout = this.device.createBindGroupLayout({
        label: `tessera ${key}`,
        entries: [
          { binding: 0, visibility: STAGE_COMPUTE, buffer: { type: "uniform", hasDynamicOffset: true } },
          ...kernel.bindings.map((a, i) => ({
            binding: slots[i], visibility: STAGE_COMPUTE,
            buffer: { type: a === "read" ? ("read-only-storage" as const) : ("storage" as const) },
          })),
        ],
      });
      entry = [layout, this.device.createPipelineLayout({ bindGroupLayouts: [layout] })];
      this.layouts.set(key, entry);
    }
    return [entry[0], entry[1], key];
  }
}
