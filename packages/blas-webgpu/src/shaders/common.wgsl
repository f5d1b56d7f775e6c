// Helpers shared by every kernel.
//
// WGSL rejects NaN and infinity as constant values, so the special values are bit patterns held
// in a private variable and reinterpreted at run time. NaN is tested on the bits, which no
// floating-point optimisation can fold away.

var<private> SPECIAL_BITS: vec3<u32> = vec3<u32>(0x7fc00000u, 0x7f800000u, 0xff800000u);

fn nan_f32() -> f32 { return bitcast<f32>(SPECIAL_BITS.x); }
fn inf_f32() -> f32 { return bitcast<f32>(SPECIAL_BITS.y); }
fn neg_inf_f32() -> f32 { return bitcast<f32>(SPECIAL_BITS.z); }
fn is_nan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }

// The flat index of an invocation in a 1-D launch that the host folded into a 2-D grid of
// workgroups (a dimension holds at most maxComputeWorkgroupsPerDimension groups).
fn flat_id(wid: vec3<u32>, nwg: vec3<u32>, lid: u32, wg: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * wg + lid;
}

// The flat index of a workgroup in a folded 2-D grid (kernels with one workgroup per output).
fn group_id(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
  return wid.y * nwg.x + wid.x;
}

// floor(a / b) for b > 0 (WGSL's integer division truncates toward zero).
fn floor_div(a: i32, b: i32) -> i32 {
  let q = a / b;
  return select(q, q - 1, (a % b != 0) && (a < 0));
}
