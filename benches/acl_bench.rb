# frozen_string_literal: true

# OpenBao ACL checks: the gem's local ACL against what a Rails app uses
# today (an OpenBao `sys/capabilities` round trip on loopback, and a
# GitLab-style declarative_policy check), in one run.
#
#   bin/compile && ruby -Ilib benches/acl_bench.rb      (BENCH_QUICK=1 for a short run)

require "benchmark/ips"
require "declarative_policy"
require "socket"
require "etc"
require "pipeline_guard"

QUICK = ENV["BENCH_QUICK"] == "1"
WARMUP = QUICK ? 0.3 : 1
TIME = QUICK ? 1 : 3
PG = PipelineGuard::OpenBao

# ---- policies of 10, 1,000 and 100,000 rules (prefix, exact, segment)
def rules_text(count)
  Array.new(count) do |i|
    case i % 4
    when 0 then %(path "projects/p#{i}/secrets/kv/data/explicit/*" { capabilities = ["read", "list"] })
    when 1 then %(path "projects/p#{i}/secrets/kv/metadata/explicit/DB" { capabilities = ["read", "update"] })
    when 2 then %(path "projects/p#{i}/+/kv/data/env/*" { capabilities = ["create"] })
    else %(path "groups/g#{i}/*" { capabilities = ["deny"] })
    end
  end.join("\n")
end

def acl_of(count, chunks: 1)
  per = count / chunks
  policies = Array.new(chunks) { |c| PG::Policy.parse(rules_text(per).gsub("/p", "/c#{c}p"), name: "p#{c}") }
  policies << PG::Policy.parse(%(path "secrets/kv/data/explicit/*" { capabilities = ["read", "list"] }), name: "ci")
  PG::ACL.new(policies)
end

SIZES = { 10 => acl_of(10), 1_000 => acl_of(1_000), 100_000 => acl_of(100_000, chunks: 10) }.freeze
PATH = "secrets/kv/data/explicit/DB_PASSWORD"
raise "bad bench ACL" unless SIZES.values.all? { |a| a.capabilities(PATH) == %w[list read] }

# ---- declarative_policy equivalent: a condition matching a path prefix
SecretPath = Struct.new(:path)
class SecretPathPolicy < DeclarativePolicy::Base
  condition(:in_explicit_scope, scope: :subject) { @subject.path.start_with?("secrets/kv/data/explicit/") }
  rule { in_explicit_scope }.enable :read
  rule { in_explicit_scope }.enable :list
end
DP_USER = Object.new
raise "bad DP" unless DeclarativePolicy.policy_for(DP_USER, SecretPath.new(PATH)).allowed?(:read)

# ---- a real OpenBao dev server on a free loopback port, stopped by PID
def start_openbao
  bin = `#{File.expand_path("../bin/bao-path", __dir__)} 2>/dev/null`.strip
  return nil if bin.empty?

  port = TCPServer.new("127.0.0.1", 0).then { |s| s.addr[1].tap { s.close } }
  pid = Process.spawn(bin, "server", "-dev", "-dev-root-token-id=root", "-dev-listen-address=127.0.0.1:#{port}",
                      out: File::NULL, err: File::NULL, pgroup: true)
  client = PG::Client.new(address: "http://127.0.0.1:#{port}", token: "root", open_timeout: 0.5)
  100.times do
    client.get("sys/health")
    break
  rescue PipelineGuard::OpenBao::ClientError
    sleep 0.1
  end
  [pid, client]
end

pid, bao = start_openbao
begin
  if bao
    bao.put("sys/policies/acl/ci",
            { "policy" => %(path "secrets/kv/data/explicit/*" { capabilities = ["read", "list"] }) })
    token = bao.post("auth/token/create", { "policies" => ["ci"], "no_default_policy" => true }).dig("auth",
                                                                                                     "client_token")
    remote = ->(p) { bao.post("sys/capabilities", { "token" => token, "paths" => [p] }).dig("data", p) }
    raise "OpenBao disagrees" unless remote.call(PATH) == %w[list read]
  end

  results = {}
  report = Benchmark.ips do |x|
    x.config(warmup: WARMUP, time: TIME)
    SIZES.each do |n, acl|
      x.report("capabilities (#{n} rules)") { acl.capabilities(PATH) }
      x.report("allowed? (#{n} rules)") { acl.allowed?(:read, PATH) }
    end
    x.report("declarative_policy allowed?") do
      DeclarativePolicy.policy_for(DP_USER, SecretPath.new(PATH)).allowed?(:read)
    end
    x.report("OpenBao sys/capabilities HTTP") { remote.call(PATH) } if bao
  end
  report.entries.each { |e| results[e.label] = e.ips }

  # ---- batch: capabilities_many over 10,000 paths vs a loop
  paths = Array.new(10_000) { |i| i.even? ? "secrets/kv/data/explicit/S#{i}" : "projects/c0p#{i}/x/kv/data/env/#{i}" }
  big = SIZES[100_000]
  batch = Benchmark.ips do |x|
    x.config(warmup: WARMUP, time: TIME)
    x.report("loop capabilities x10k") { paths.to_h { |p| [p, big.capabilities(p)] } }
    x.report("capabilities_many x10k") { big.capabilities_many(paths) }
  end
  batch.entries.each { |e| results[e.label] = e.ips }

  # ---- build time of an ACL from 10,000 policies
  policies = Array.new(10_000) do |i|
    text = %(path "projects/#{i}/*" { capabilities = ["read"] }\n) +
           %(path "projects/+/env/#{i}" { capabilities = ["list"] })
    PG::Policy.parse(text, name: "p#{i}")
  end
  t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  3.times { PG::ACL.new(policies) }
  build_ms = (Process.clock_gettime(Process::CLOCK_MONOTONIC) - t) / 3 * 1000

  us = ->(label) { 1e6 / results.fetch(label) }
  fast = results.fetch("allowed? (100000 rules)")
  env = "#{RUBY_DESCRIPTION.split(' [').first}, #{Etc.nprocessors} cores#{QUICK ? ', BENCH_QUICK' : ''}"
  puts "\n## OpenBao ACL (#{env})\n\n"
  puts "| benchmark | ops/s | us/op | ratio |"
  puts "|---|---:|---:|---|"
  results.each_key do |label|
    next if label.include?("x10k")

    ratio = if label.start_with?("capabilities", "allowed?")
              "#{(results[label] / results.fetch("#{label.split(' (').first} (10 rules)")).round(2)}x vs 10 rules"
            else
              "gem allowed? (100k rules) is #{(fast / results[label]).round(1)}x faster"
            end
    puts "| #{label} | #{results[label].round} | #{us.call(label).round(3)} | #{ratio} |"
  end
  speedup = results["capabilities_many x10k"] / results["loop capabilities x10k"]
  %w[loop capabilities_many].each do |kind|
    label = kind == "loop" ? "loop capabilities x10k" : "capabilities_many x10k"
    note = kind == "loop" ? "" : "#{speedup.round(2)}x the loop"
    puts "| #{label} | #{results[label].round(1)} | #{us.call(label).round} | #{note} |"
  end
  puts "| ACL.new from 10,000 policies (20,000 rules) | | #{(build_ms * 1000).round} | " \
       "#{build_ms.round(1)} ms per build |"
ensure
  if pid
    Process.kill("TERM", pid)
    Process.wait(pid)
  end
end
