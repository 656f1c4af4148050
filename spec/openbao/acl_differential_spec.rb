# frozen_string_literal: true

# Random policy sets and probe paths, answered by a real OpenBao 2.7.2
# (`sys/capabilities`) and by the local ACL: every answer must agree.
# ACL_SEED=<n> replays a run; the seed is printed on failure.
module AclDifferential
  SEGMENTS = ["secrets", "kv", "data", "metadata", "explicit", "DB", "Api_Key", "a", "b", "x", "release-1",
              "group_7", "emoji\u{1F600}", "a,b", "~u"].freeze
  CAPS = %w[create read update patch delete list sudo scan].freeze
  SETS = Integer(ENV.fetch("ACL_SETS", 30))
  PROBES = Integer(ENV.fetch("ACL_PROBES", 150))
end

RSpec.describe "OpenBao ACL differential", :openbao do
  let(:seed) { Integer(ENV.fetch("ACL_SEED", Random.new_seed % 1_000_000)) }
  let(:rng) { Random.new(seed) }
  let(:client) { OpenBaoServer.client }

  def seg = AclDifferential::SEGMENTS.sample(random: rng)

  def rule_path # rubocop:disable Metrics/CyclomaticComplexity
    parts = Array.new(rng.rand(1..4)) { rng.rand < 0.2 ? "+" : seg }
    path = parts.join("/")
    case rng.rand(10)
    when 0..2 then path += "*"                         # prefix
    when 3 then path += "/*"                           # prefix ending in /
    when 4 then path += "/"                            # list-style exact
    when 5 then path = "/#{path}"                      # leading slash
    when 6 then path = path.sub(/\A[^+]/) { |c| "#{c}*" } # literal * inside
    when 7 then path = "#{path}/{{identity.entity.id}}" if rng.rand < 0.3
    end
    path.include?("+*") ? path.delete("*") : path
  end

  def caps
    return ["deny"] if rng.rand < 0.12
    return [] if rng.rand < 0.05

    AclDifferential::CAPS.sample(rng.rand(1..4), random: rng)
  end

  def policy_text(rules, format)
    if format == :json
      JSON.generate("path" => rules.to_h.transform_values { |c| { "capabilities" => c } })
    else
      rules.map do |p, c|
        list = c.map { |x| %("#{x}") }.join(", ")
        rng.rand < 0.3 ? %(path "#{p}" { capabilities = [#{list}] }) : %(path "#{p}" {\n  capabilities = [#{list}]\n})
      end.join("\n")
    end
  end

  def policy_set(set_index)
    shared = Array.new(rng.rand(1..3)) { rule_path } # identical paths across policies -> merges
    Array.new(rng.rand(1..4)) do |i|
      rules = Array.new(rng.rand(1..8)) { [rng.rand < 0.3 ? shared.sample(random: rng) : rule_path, caps] }
      format = rng.rand < 0.3 ? :json : :hcl
      rules = rules.uniq(&:first) if format == :json
      ["pgdiff-#{seed}-#{set_index}-#{i}", policy_text(rules, format), rules.map(&:first)]
    end
  end

  def probe_from(rule) # rubocop:disable Metrics/CyclomaticComplexity
    p = rule.delete_prefix("/").gsub("{{identity.entity.id}}", "e")
    p = p.gsub("+") { rng.rand < 0.15 ? "" : seg }
    p = p.sub(/\*\z/) { ["", seg, "#{seg}/#{seg}", "/"].sample(random: rng) }
    case rng.rand(8)
    when 0 then p += "/"
    when 1 then p = p.chomp("/")
    when 2 then p += "/#{seg}"
    when 3 then p = p.split("/")[0..-2].join("/")
    when 4 then p = "/#{p}"
    when 5 then p = p.upcase
    when 6 then p = p[0...-1].to_s
    end
    p
  end

  def probes(rule_paths)
    list = Array.new(AclDifferential::PROBES) do
      if rng.rand < 0.8 then probe_from(rule_paths.sample(random: rng))
      else
        Array.new(rng.rand(1..5)) { seg }.join("/")
      end
    end
    list.reject { |p| p.strip.empty? || p != p.strip }.uniq
  end

  it "agrees with sys/capabilities on thousands of random checks" do
    checks = 0
    granted = 0
    disagreements = []
    AclDifferential::SETS.times do |s|
      set = policy_set(s)
      policies = set.map { |name, text, _| PipelineGuard::OpenBao::Policy.parse(text, name:) }
      set.each { |name, text, _| client.put("sys/policies/acl/#{name}", { "policy" => text }) }
      token = client.post("auth/token/create", { "policies" => set.map(&:first), "no_default_policy" => true,
                                                 "ttl" => "10m" }).dig("auth", "client_token")
      begin
        paths = probes(set.flat_map(&:last))
        remote = client.post("sys/capabilities", { "token" => token, "paths" => paths }).fetch("data")
        local = PipelineGuard::OpenBao::ACL.new(policies).capabilities_many(paths)
        paths.each do |path|
          checks += 1
          granted += 1 unless local[path] == ["deny"]
          next if remote[path] == local[path]

          disagreements << { set: s, path:, openbao: remote[path], local: local[path],
                             policies: set.map { |n, t, _| [n, t] } }
        end
      ensure
        client.post("auth/token/revoke", { "token" => token })
        set.each { |name, _, _| client.delete("sys/policies/acl/#{name}") }
      end
    end
    if ENV["ACL_VERBOSE"]
      RSpec.configuration.reporter.message("ACL differential: #{checks} checks, #{granted} granted, ACL_SEED=#{seed}")
    end
    expect(checks).to be >= AclDifferential::SETS * AclDifferential::PROBES / 2
    expect(disagreements).to be_empty,
                             "ACL_SEED=#{seed}: #{disagreements.size} of #{checks} checks disagree; first:\n" \
                             "#{JSON.pretty_generate(disagreements.first(3))}"
  end
end
