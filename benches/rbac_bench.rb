# frozen_string_literal: true

# RBAC and secrets-manager checks from Ruby, side by side with what a Rails
# app uses today: a GitLab-like declarative_policy class over a membership
# lookup, Ruby loops, and Ruby scope matching. One run; prints a markdown
# table. BENCH_QUICK=1 for short runs.
#
#   bin/compile && ruby -Ilib benches/rbac_bench.rb

require "benchmark/ips"
require "declarative_policy"
require "pipeline_guard"

QUICK = ENV["BENCH_QUICK"] == "1"
WARMUP = QUICK ? 0.2 : 1
TIME = QUICK ? 0.5 : 3

# Memberships as a Rails app holds them: user id => { path => level },
# inherited down the path.
class MembershipIndex
  def initialize
    @by_user = Hash.new { |h, k| h[k] = {} }
  end

  def add(user_id, path, level)
    @by_user[user_id][path] = level
  end

  def level(user_id, path)
    paths = @by_user.fetch(user_id, nil)
    return 0 unless paths

    best = 0
    prefix = +""
    path.split("/").each do |segment|
      prefix << "/" unless prefix.empty?
      prefix << segment
      level = paths[prefix]
      best = level if level && level > best
    end
    best
  end
end

BenchUser = Struct.new(:id)
BenchProject = Struct.new(:full_path, :memberships)

# A GitLab-like policy: abilities enabled by the membership access level.
class BenchProjectPolicy < DeclarativePolicy::Base
  condition(:reporter) { access_level >= 20 }
  condition(:developer) { access_level >= 30 }
  condition(:owner) { access_level >= 50 }

  rule { reporter }.policy do
    enable :read_secret
    enable :read_project_secrets
  end
  rule { owner }.enable :admin_project_secrets_manager

  def access_level
    @access_level ||= @subject.memberships.level(@user.id, @subject.full_path)
  end
end

DeclarativePolicy.configure do
  named_policy :bench_project, BenchProjectPolicy
end

def ips(label, &)
  report = Benchmark.ips(quiet: true) do |x|
    x.config(warmup: WARMUP, time: TIME)
    x.report(label, &)
  end
  result = report.entries.first.ips
  warn "#{label.ljust(58)} #{result.round(1).to_s.rjust(14)} i/s"
  result
end

def build_model(memberships)
  rbac = PipelineGuard::RBAC::Model.new
  index = MembershipIndex.new
  memberships.times do |i|
    path = "group#{i % 1000}/sub#{i % 7}"
    rbac.add_membership(i, path, access_level: 20)
    index.add(i, path, 20)
  end
  rbac.add_membership(42, "group/sub", access_level: :developer)
  index.add(42, "group/sub", 30)
  [rbac, index]
end

rows = []
row = lambda do |name, ours, theirs, baseline|
  rows << [name, ours, theirs, baseline]
end

# 1. can? vs declarative_policy, and flat cost over membership counts.
small_rbac, small_index = build_model(10)
big_rbac, big_index = build_model(100_000)
user = BenchUser.new(42)
path = "group/sub/project"
raise "mismatch" unless big_rbac.can?(42, :read_secret, path) &&
                        DeclarativePolicy.policy_for(user, BenchProject.new(path, big_index)).allowed?(:read_secret)

dp_small = ips("declarative_policy allowed? (10 memberships)") do
  DeclarativePolicy.policy_for(user, BenchProject.new(path, small_index)).allowed?(:read_secret)
end
dp_big = ips("declarative_policy allowed? (100k memberships)") do
  DeclarativePolicy.policy_for(user, BenchProject.new(path, big_index)).allowed?(:read_secret)
end
can_small = ips("RBAC::Model#can? (10 memberships)") { small_rbac.can?(42, :read_secret, path) }
can_big = ips("RBAC::Model#can? (100k memberships)") { big_rbac.can?(42, :read_secret, path) }
row.call("can? vs declarative_policy, 10 memberships", can_small, dp_small, "declarative_policy")
row.call("can? vs declarative_policy, 100k memberships", can_big, dp_big, "declarative_policy")
row.call("can? 100k vs 10 memberships (flat = 1.0)", can_big, can_small, "can? with 10")

# 2. filter over a page vs a loop of can?.
[100, 10_000].each do |n|
  page = Array.new(n) { |i| i.even? ? "group/sub/p#{i}" : "other/p#{i}" }
  raise "mismatch" unless big_rbac.filter(42, :read_secret, page) == page.select do |p|
                                                                       big_rbac.can?(42, :read_secret, p)
                                                                     end

  loop_ips = ips("loop of can? over #{n} paths") { page.select { |p| big_rbac.can?(42, :read_secret, p) } }
  dp_ips = ips("declarative_policy over #{n} paths") do
    page.select { |p| DeclarativePolicy.policy_for(user, BenchProject.new(p, big_index)).allowed?(:read_secret) }
  end
  filter_ips = ips("RBAC::Model#filter over #{n} paths") { big_rbac.filter(42, :read_secret, page) }
  row.call("filter, page of #{n}", filter_ips, loop_ips, "loop of can?")
  row.call("filter, page of #{n}", filter_ips, dp_ips, "declarative_policy loop")
end

# 3. pipeline_secrets over many secrets vs Ruby scope matching.
sm = PipelineGuard::SecretsManager
envs = ["*", "production", "staging", "review/*", "dev"]
branches = ["*", "main", "release/*", "dev"]
claims = { "sub" => "project_path:g/p:ref_type:branch:ref:main", "secrets_manager_scope" => "pipeline",
           "project_id" => "42", "user_id" => "1", "environment" => "review/app-1", "ref" => "release/1.0",
           "ref_type" => "branch", "ref_protected" => "false" }

ruby_match = lambda do |scope, value|
  next true if scope == "*"
  next false if value.nil? || value.empty?

  scope.include?("*") ? File.fnmatch?(scope, value, File::FNM_DOTMATCH) : scope == value
end
ruby_pipeline_secrets = lambda do |secrets, c|
  branch = c["ref_type"] == "branch" ? c["ref"] : nil
  readable = secrets.select do |s|
    (!s[:protected] || c["ref_protected"] == "true") && ruby_match.call(s[:environment], c["environment"]) &&
      ruby_match.call(s[:branch], branch)
  end
  readable.map { |s| s[:name] }.sort
end

[1000, 10_000].each do |n|
  hashes = Array.new(n) do |i|
    { name: "S#{i}", environment: envs[i % envs.size], branch: branches[(i / 5) % branches.size],
      protected: (i % 7).zero? }
  end
  objects = hashes.map { |h| sm::Secret.new(**h) }
  project = sm::Project.new(project_id: 42)
  objects.each { |s| project.upsert_secret(s) }
  expected = ruby_pipeline_secrets.call(hashes, claims)
  raise "mismatch" unless project.pipeline_secrets(claims) == expected && sm.pipeline_secrets(objects,
                                                                                              claims) == expected

  ruby_ips = ips("Ruby scope matching over #{n} secrets") { ruby_pipeline_secrets.call(hashes, claims) }
  fn_ips = ips("SecretsManager.pipeline_secrets over #{n} secrets") { sm.pipeline_secrets(objects, claims) }
  project_ips = ips("Project#pipeline_secrets (indexed), #{n} secrets") { project.pipeline_secrets(claims) }
  row.call("pipeline_secrets (array), #{n} secrets", fn_ips, ruby_ips, "Ruby scope matching")
  row.call("pipeline_secrets (Project index), #{n} secrets", project_ips, ruby_ips, "Ruby scope matching")
end

puts
puts "| Benchmark | pipeline_guard ops/s | baseline ops/s | baseline | ratio | time per op |"
puts "|---|---:|---:|---|---:|---:|"
rows.each do |name, ours, theirs, baseline|
  per_op = 1.0 / ours
  per_op_text = per_op < 1e-3 ? "#{(per_op * 1e6).round(3)} us" : "#{(per_op * 1e3).round(3)} ms"
  puts "| #{name} | #{ours.round} | #{theirs.round} | #{baseline} | #{(ours / theirs).round(2)}x | #{per_op_text} |"
end
