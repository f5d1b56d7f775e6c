/**
 * Settings every test project shares. No test may depend on wall-clock speed: CI runs on a busy
 * 2-core machine, where building VGG-16 or training a few LeNet-5 steps can take many times what it
 * takes on a quiet one. So the per-test limit is only a guard against a hang (15 minutes), far past
 * anything a correct test needs; speed is measured in benchmarks (`pnpm bench`), never here.
 */
export const NO_WALL_CLOCK_LIMITS = { testTimeout: 900_000, hookTimeout: 900_000 } as const;
