# frozen_string_literal: true

require "json"

# A permission change in a project with 100 secrets and 50 stored grants
# (--quick: 10 and 5; the example app's data; OpenBao dev server on
# loopback, the project's namespace provisioned and fully synced first).
# The change flips one USER grant between [read, read_value] and [read,
# read_value, write], so every round really changes both of its policies
# (management + api/).
# Side by side:
# - regenerate: SecretsManager::Project#set_permission on the app's model
#   (returns the changed documents) vs GitLab's way in Ruby, re-implemented
#   here after its UpdateServiceHelpers: the stored JSON policy parsed into
#   path objects, the three paths' capabilities cleared and re-added, the
#   document generated again (no HTTP on either side);
# - regenerate + write to OpenBao: set_permission + a PUT per returned
#   document vs GitLab's GET + Ruby edit + PUT per policy;
# - informational: what the example app does today on a change
#   (SecretStore::OpenBaoStore#sync_policies rewrites every permission and
#   pipeline policy), and PolicySync#refresh! in a reader (lists and reads
#   every policy of the namespace, parses the changed ones).
require_relative "support"
require_relative "app"

S = BenchSuite
BenchApp.boot
PG = PipelineGuard::OpenBao
SM = PipelineGuard::SecretsManager
SECRETS = S.quick? ? 10 : 100
GRANTS = S.quick? ? 5 : 50

# GitLab's policy editing in Ruby: JSON policy text <-> path objects.
class RubyAclPolicy
  DATA = "secrets/kv/data/explicit/*"
  METADATA = "secrets/kv/metadata/explicit/*"
  DETAILED = "secrets/kv/detailed-metadata/explicit/*"
  INTERNAL = %w[list scan].freeze

  PathRule = Struct.new(:capabilities, :expired_at)

  attr_reader :name, :paths

  def initialize(name, paths = {})
    @name = name
    @paths = paths
  end

  def self.from_json(name, text)
    rules = JSON.parse(text).fetch("path", {}).transform_values do |rule|
      PathRule.new(Set.new(rule["capabilities"]), rule["expiration"])
    end
    new(name, rules)
  end

  def add_capability(path, capability)
    (@paths[path] ||= PathRule.new(Set.new, nil)).capabilities << capability
  end

  # Every path's capabilities replaced, as the update service does.
  def replace(caps, expired_at)
    [DATA, METADATA, DETAILED].each { |p| @paths[p]&.capabilities&.clear }
    caps[:data].each { |c| add_capability(DATA, c) }
    caps[:metadata].each { |c| add_capability(METADATA, c) }
    add_capability(DETAILED, "list")
    [DATA, METADATA, DETAILED].each { |p| @paths[p].expired_at = expired_at }
    self
  end

  def to_json(*)
    JSON.generate("path" => @paths.transform_values do |r|
      { "capabilities" => r.capabilities.to_a, "expiration" => r.expired_at }.compact
    end)
  end

  # GitLab's capability sets of the actions (management and api/).
  def self.management(actions)
    data = INTERNAL.dup
    metadata = %w[read] + INTERNAL
    if actions.include?("write")
      data = %w[create update] + data
      metadata = %w[read create update] + INTERNAL
    end
    %w[delete].each { |c| (data << c) && (metadata << c) if actions.include?(c) }
    { data:, metadata: }
  end

  def self.api(actions)
    actions.include?("read_value") ? { data: %w[read], metadata: %w[list] } : { data: [], metadata: [] }
  end
end

owner, = BenchApp.member("sync-owner", "acme", Membership::OWNER)
project = BenchApp.project("acme/sync")
BenchApp.insert_secrets(project, SECRETS)
BenchApp.grant_users(project, GRANTS - 3)
grantee, = BenchApp.member("sync-grantee", project.full_path, Membership::DEVELOPER)
project.secrets_permissions.create!(principal_type: "User", principal_id: grantee.id, actions: %w[read read_value],
                                    granted_by: owner)
raise "expected #{GRANTS} grants" unless project.secrets_permissions.count == GRANTS

model = ProjectAccess.for(project).model
ACTIONS = [%w[read read_value], %w[read read_value write]].freeze
flips = { ours: 0, gitlab: 0 } # each side alternates its own grant
next_actions = ->(side) { ACTIONS[flips[side] ^= 1] }
ours_regenerate = lambda do
  model.set_permission(SM::Permission.new(principal_type: :user, principal_id: grantee.id,
                                          actions: next_actions.call(:ours)))
end
mgmt_name = "users/direct/user_#{grantee.id}"
api_name = "api/#{mgmt_name}"
stored = { mgmt_name => RubyAclPolicy.new(mgmt_name).replace(RubyAclPolicy.management(ACTIONS[0]), nil).to_json,
           api_name => RubyAclPolicy.new(api_name).replace(RubyAclPolicy.api(ACTIONS[0]), nil).to_json }
gitlab_regenerate = lambda do
  actions = next_actions.call(:gitlab)
  { mgmt_name => RubyAclPolicy.management(actions), api_name => RubyAclPolicy.api(actions) }.to_h do |name, caps|
    [name, stored[name] = RubyAclPolicy.from_json(name, stored[name]).replace(caps, nil).to_json]
  end
end

# Both sides grant the same capabilities (checked through the gem's ACL).
def same_grants?(ours, theirs)
  paths = [RubyAclPolicy::DATA, RubyAclPolicy::METADATA, RubyAclPolicy::DETAILED].map { |p| p.sub("*", "X") }
  acl = ->(docs) { PG::ACL.new(docs.map { |name, text| PG::Policy.parse(text, name:) }) }
  ours.keys.sort == theirs.keys.sort && ours.keys.all? do |name|
    a = acl.call({ name => ours[name] })
    b = acl.call({ name => theirs[name] })
    paths.all? { |p| a.capabilities(p) == b.capabilities(p) }
  end
end
2.times { raise "regenerated policies differ" unless same_grants?(ours_regenerate.call, gitlab_regenerate.call) }

r = S.ips("ours" => ours_regenerate, "gitlab" => gitlab_regenerate)
S.compare("permission change, regenerate the principal's policies (#{SECRETS} secrets, #{GRANTS} grants)",
          ours: ["SecretsManager::Project#set_permission", r["ours"]],
          base: ["GitLab-style Ruby: parse stored JSON, edit paths, generate", r["gitlab"]])

BenchOpenBao.run do |bao|
  unless bao
    S.skip("permission_sync writes to OpenBao", "no OpenBao 2.7.2 `bao` binary (bin/bao-path failed)")
    next
  end

  ENV["BAO_TOKEN"] = "root" # the example app's OpenBaoStore takes its token from the environment
  store = SecretStore::OpenBaoStore.new(bao)
  store.provision_secrets_manager(project.secrets_manager) # bootstrap, namespace, mounts, roles, policies
  client = PG::Client.new(address: bao.address, token: "root", namespace: project.secrets_manager.namespace_path)

  ours_write = lambda do
    ours_regenerate.call.each do |name, text| # nil: a policy the change revoked
      text ? client.put("sys/policies/acl/#{name}", { "policy" => text }) : client.delete("sys/policies/acl/#{name}")
    end
  end
  # GitLab's side edits the policies of a second grantee (JSON texts), ours
  # those of the first (HCL, as the app writes them).
  other = "users/direct/user_#{grantee.id + 1_000_000}"
  stored.each { |name, text| client.put("sys/policies/acl/#{name.sub(mgmt_name, other)}", { "policy" => text }) }
  gitlab_write = lambda do
    actions = next_actions.call(:gitlab)
    { other => RubyAclPolicy.management(actions), "api/#{other}" => RubyAclPolicy.api(actions) }.each do |name, caps|
      text = client.get("sys/policies/acl/#{name}").dig("data", "policy")
      policy = text ? RubyAclPolicy.from_json(name, text) : RubyAclPolicy.new(name)
      client.put("sys/policies/acl/#{name}", { "policy" => policy.replace(caps, nil).to_json })
    end
  end
  w = S.ips("ours" => ours_write, "gitlab" => gitlab_write)
  S.compare("permission change written to OpenBao (loopback)",
            ours: ["set_permission + PUT per changed policy (2)", w["ours"]],
            base: ["GitLab-style: GET + Ruby edit + PUT per policy (2)", w["gitlab"]])

  count = Array(client.list("sys/policies/acl").dig("data", "keys")).size
  full = S.seconds_per_call(S.quick? ? 1 : 5) { store.sync_policies(project) }
  S.emit(kind: "absolute", scenario: "example app today: SecretStore::OpenBaoStore#sync_policies after a change " \
                                     "(rewrites every permission and pipeline policy; #{count} in the namespace)",
         us: full * 1e6, target: "informational", met: nil)

  sync = PG::PolicySync.new(client)
  sync.refresh!
  refresh = S.seconds_per_call(S.quick? ? 1 : 5) do
    ours_write.call
    sync.refresh!
  end
  S.emit(kind: "absolute", scenario: "change + PolicySync#refresh! in a reader (lists and reads #{count} policies, " \
                                     "parses the 2 changed)", us: refresh * 1e6, target: "informational", met: nil)
end
