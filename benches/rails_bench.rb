# frozen_string_literal: true

# Rails-side hot paths, side by side with what Rails apps use today:
# 1. an encrypted attribute round trip (encrypt + decrypt, 100 bytes, bound
#    to its record): PipelineGuard keyring vs Lockbox vs
#    ActiveSupport::MessageEncryptor (aes-256-gcm);
# 2. authorizing a GraphQL list of 1000 secrets: the Authorize extension
#    (one native batch call) vs per-item declarative_policy checks.
# BENCH_QUICK=1 shortens warmup and measurement.
require "benchmark/ips"
require "securerandom"
require "pipeline_guard"
require "pipeline_guard/rails"
require "pipeline_guard/graphql"
require "stringio" # lockbox 0.6 needs it loaded first
require "lockbox"
require "active_support"
require "active_support/message_encryptor"

QUICK = ENV["BENCH_QUICK"] == "1"
CONFIG = QUICK ? { warmup: 0.2, time: 0.5 } : { warmup: 1, time: 3 }
ROWS = [] # rubocop:disable Style/MutableConstant

def compare(title, baseline_label)
  results = {}
  report = Benchmark.ips do |x|
    x.config(**CONFIG)
    yield x
  end
  report.entries.each { |e| results[e.label] = e.ips }
  base = results.fetch(baseline_label)
  results.each { |label, ips| ROWS << [title, label, ips, ips / base] }
end

plaintext = SecureRandom.random_bytes(100)
aad = "secrets\0value\0project_id=1\0name=DB"
keyring = PipelineGuard::Keyring.generate
lockbox = Lockbox.new(key: SecureRandom.hex(32))
encryptor = ActiveSupport::MessageEncryptor.new(SecureRandom.random_bytes(32), cipher: "aes-256-gcm")

compare("attribute round trip, 100 B", "ActiveSupport::MessageEncryptor") do |x|
  x.report("PipelineGuard::Keyring") do
    keyring.decrypt(keyring.encrypt(plaintext, associated_data: aad), associated_data: aad)
  end
  x.report("Lockbox") { lockbox.decrypt(lockbox.encrypt(plaintext, associated_data: aad), associated_data: aad) }
  x.report("ActiveSupport::MessageEncryptor") { encryptor.decrypt_and_verify(encryptor.encrypt_and_sign(plaintext)) }
end

if defined?(PipelineGuard::RBAC::Model)
  require "graphql"
  require "declarative_policy"

  paths = Array.new(1000) { |i| "acme/team#{i % 10}/app#{i}" }
  model = PipelineGuard::RBAC::Model.new
  model.add_membership(1, "acme", access_level: 30)
  authorizer = PipelineGuard::GraphQL::RBACAuthorizer.new(model, user_id: ->(ctx) { ctx[:user_id] })

  project_policy = Class.new(DeclarativePolicy::Base) do
    condition(:developer) do
      @user.levels.any? do |path, level|
        (@subject.path == path || @subject.path.start_with?("#{path}/")) && level >= 20
      end
    end
    rule { developer }.enable :read_project_secrets
  end
  subject_class = Struct.new(:path)
  subject_class.define_singleton_method(:name) { "BenchProject" }
  DeclarativePolicy.configure { named_policy(:bench, project_policy) } if DeclarativePolicy.respond_to?(:configure)
  user = Struct.new(:levels).new({ "acme" => 30 })
  subjects = paths.map { |p| subject_class.new(p) }

  compare("authorize a list of 1000", "declarative_policy, per item") do |x|
    x.report("Authorize extension (one batch)") do
      PipelineGuard::GraphQL.authorized_many({ user_id: 1, pipeline_guard_authorizer: authorizer },
                                             :read_project_secrets, paths)
    end
    x.report("declarative_policy, per item") do
      subjects.map { |s| project_policy.new(user, s).allowed?(:read_project_secrets) }
    end
  end
end

puts "\n| benchmark | implementation | ops/s | ratio |"
puts "|---|---|---:|---:|"
ROWS.each { |t, l, ips, r| puts "| #{t} | #{l} | #{ips.round} | #{format('%.2f', r)}x |" }
