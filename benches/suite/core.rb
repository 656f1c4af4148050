# frozen_string_literal: true

# The core crate's criterion benches (cargo bench -p pipeline_guard_core),
# read back from criterion's estimates: the Rust-side cost with no Ruby in
# it, next to the Ruby rows of the other areas. Skipped in quick mode, with
# that reason, because building the bench profile takes minutes.
require_relative "support"
require "json"
require "open3"

S = BenchSuite
ROOT = File.expand_path("../..", __dir__)

if S.quick?
  S.skip("core criterion benches", "quick mode: building the bench profile takes minutes (bin/bench --only core)")
  exit
end

# Build niced (the machine may be shared), then measure at normal priority.
out, status = Open3.capture2e(*%w[nice cargo bench -p pipeline_guard_core --bench aead --bench acl --no-run],
                              chdir: ROOT)
if status.success?
  args = %w[cargo bench -p pipeline_guard_core --bench aead --bench acl -- --warm-up-time 1 --measurement-time 2
            --noplot]
  out, status = Open3.capture2e(*args, chdir: ROOT)
end
unless status.success?
  S.skip("core criterion benches", "cargo bench failed: #{out.lines.last(3).join.strip}")
  exit
end

target = JSON.parse(`cd #{ROOT} && cargo metadata --format-version 1 --no-deps`).fetch("target_directory")
means = {}
Dir.glob(File.join(target, "criterion", "**", "new", "estimates.json")).each do |file|
  bench = JSON.parse(File.read(File.join(File.dirname(file), "benchmark.json")))
  ns = JSON.parse(File.read(file)).dig("mean", "point_estimate")
  means[bench.fetch("full_id")] = ns
  S.emit(kind: "criterion", id: bench.fetch("full_id"), us: ns / 1000.0)
end

loop_ns = means["keyring_10k_x_100B/encrypt_loop"]
many_ns = means["keyring_10k_x_100B/encrypt_many"]
if loop_ns && many_ns
  S.compare(
    "core: keyring encrypt_many 10,000 x 100 B vs a loop (no Ruby)",
    ours: ["encrypt_many", 1e9 / many_ns], base: ["loop of encrypt", 1e9 / loop_ns], target: ">= 1.5x on 2 cores",
    min: 1.5
  )
end
