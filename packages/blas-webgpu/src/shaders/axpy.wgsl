// y ← α·x + y over strided n-d views (saxpy). Bindings: x (read), y (read-write).
//
// The reference rounds once (its product α·x is exact in float64). Rounding the float32 product
// first would break the battery's 4u·|y| allowance whenever y and α·x nearly cancel, and `fma`
// may be unfused (it is on llvmpipe). So the product's rounding error e is recovered exactly
// (Dekker's two-product: α = p0 + p1 is split into 12-bit halves by the host, x by masking its
// low mantissa bits, so every partial product is exact and no step of the split is floating-point
// arithmetic a compiler could fold), and y + p is exact when it cancels (Sterbenz), leaving a
// single rounding: y' = (y + p) + e.

override WG: u32 = 128u;

@group(0) @binding(1) var<storage, read> X: array<f32>;
@group(0) @binding(2) var<storage, read_write> Y: array<f32>;

fn axpy_exact(ah: f32, al: f32, x: f32, y: f32) -> f32 {
  let p = (ah + al) * x;
  if (is_nan(p) || abs(p) == inf_f32()) { return y + p; }
  let xh = bitcast<f32>(bitcast<u32>(x) & 0xfffff000u);
  let xl = x - xh;
  let e = (((ah * xh - p) + ah * xl) + al * xh) + al * xl;
  return (y + p) + e;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = flat_id(wid, nwg, lid, WG);
  if (i >= S.count) { return; }
  let o = view_offsets(i);
  Y[o.y] = axpy_exact(S.p0, S.p1, X[o.x], Y[o.y]);
}
