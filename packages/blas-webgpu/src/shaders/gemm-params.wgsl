// Arguments of the sgemm kernels: C (M×N) ← α·A·B + β·C with A (M×K) at oa + m·sa1 + k·sa2,
// B (K×N) at ob + k·sb1 + n·sb2 and C at oc + m·sc1 + n·sc2 (transposes are stride swaps done by
// the host). beta_zero = 1 means C is write-only: never read, so a NaN in C cannot leak.

struct Gemm {
  M: u32,
  N: u32,
  K: u32,
  beta_zero: u32,
  sa1: i32,
  sa2: i32,
  oa: i32,
  sb1: i32,
  sb2: i32,
  ob: i32,
  sc1: i32,
  sc2: i32,
  oc: i32,
  alpha: f32,
  beta: f32,
}

@group(0) @binding(0) var<uniform> G: Gemm;
