// Counter-based random fill (Device.fillRandom), bit-compatible with the reference's
// packages/blas/src/device/counter-rng.ts: element i uses the 32-bit PCG-RXS-M-XS hash of
// (seed, counter + i); its top 24 bits give u in [0, 1), exact in float32.
// DIST 0: uniform a + b·u; 1: normal a + b·z (Box–Muller on elements 2k and 2k+1);
// 2: bernoulli (b when the 24-bit word is below `threshold`, else 0). Binding: y (write).

struct Random {
  n: u32,
  oy: u32,
  seed: u32,
  counter: u32,
  threshold: u32,
  a: f32,
  b: f32,
}

override WG: u32 = 128u;
override DIST: u32;

@group(0) @binding(0) var<uniform> P: Random;
@group(0) @binding(1) var<storage, read_write> Y: array<f32>;

fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

fn bits24(index: u32) -> u32 {
  return pcg(pcg(index) ^ pcg(P.seed)) >> 8u;
}

fn unit(index: u32) -> f32 {
  return f32(bits24(index)) * 5.9604644775390625e-8;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = flat_id(wid, nwg, lid, WG);
  if (i >= P.n) { return; }
  let k = P.counter + i;
  var v: f32;
  switch DIST {
    case 0u: { v = fma(P.b, unit(k), P.a); }
    case 1u: {
      let u1 = unit(2u * k);
      let u2 = unit(2u * k + 1u);
      let z = sqrt(-2.0 * log_accurate(1.0 - u1)) * cos_turns(u2);
      v = fma(P.b, z, P.a);
    }
    default: { v = select(0.0, P.b, bits24(k) < P.threshold); }
  }
  Y[P.oy + i] = v;
}
