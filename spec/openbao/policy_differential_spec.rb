# frozen_string_literal: true

# Policy texts OpenBao 2.7.2 refuses (or stores) for reasons the generated
# differential cases do not reach: an empty text, control_group blocks,
# invalid keys, durations. Each is written to a live OpenBao and parsed locally; the
# verdict and the error text must agree.
RSpec.describe PipelineGuard::OpenBao::Policy, "against a live OpenBao", :openbao do
  let(:client) { OpenBaoServer.client }
  let(:name) { "pgdiff-#{rand(1_000_000)}" }

  after { client.delete("sys/policies/acl/#{name}") }

  def read = %(capabilities = ["read"])

  def factor = %(factor "a" { identity { group_names = ["g"] approvals = 1 } controlled_capabilities = ["read"] })

  def texts
    [
      "", "   ", "\n", "# only a comment",
      %(path "x" { #{read}\n control_group = { ttl = "1h" } }),
      %(path "x" { #{read} control_group = {} }),
      %(path "x" { #{read}\n control_group = { #{factor} } }),
      %(path "x" { #{read}\n control_group = { ttl = "1h" self_auth_allowed = true #{factor} } }),
      %(path "x" { #{read}\n control_group = { ttl = 3600 } }),
      %(path "x" { #{read}\n control_group = { ttl = [1] } }),
      %(path "x" { #{read}\n control_group = { ttl = true } }),
      %(path "x" { #{read}\n control_group = [] }),
      %(path "x" { #{read}\n control_group = "x" }),
      %(path "x" { #{read}\n control_group = { foo = 1 } }),
      %(path "x" { #{read}\n control_group = { foo = 1 bar = 2 ttl = "1h" } }),
      %(path "x" { #{read}\n control_group = { ttl = "1h" } control_group = { ttl = "2h" } }),
      %(path "x" { #{read}\n control_group = { #{factor} } }\npath "y" { #{read} control_group = {} }),
      %(path "x" { capabilities = ["bogus"] control_group = {} }),
      %(path "x" { foo = 1 control_group = {} }),
      %(path "x" {\n  #{read}\n  foo = 1\n  bar = 2\n}),
      %({"path": {"x": {"capabilities": ["read"], "control_group": {}}}}),
      %({"path": {"x": {"capabilities": ["read"], "control_group": {"factor": {}}}}}),
      %({"path": {"x": {"capabilities": ["read"], "control_group": {"ttl": "1h"}}}}),
      *durations,
      %(path "x" { #{read} min_wrapping_ttl = "2h" max_wrapping_ttl = "1h" }),
      %(path "x" { #{read} list_scan_response_keys_filter_path = "{{ .key }}" }),
      %(path "x" { capabilities = ["list"] list_scan_response_keys_filter_path = "x" }),
      %(path "x" { capabilities = ["deny"] max_wrapping_ttl = "bad" })
    ]
  end

  # Durations go through parseutil: strconv.ParseInt for a `d` suffix,
  # time.ParseDuration otherwise, each with its own error text.
  def durations
    ["bad", "xyz", "5x", "1.5h", "10", "2d", "1.5d", "1e3", "-5", "1h30m", "99999999999999999999", "5 m", " 5m",
     "1.5"].flat_map do |v|
      [%(path "x" { #{read} max_wrapping_ttl = "#{v}" }), %(path "x" { #{read}\n control_group = { ttl = "#{v}" } })]
    end
  end

  def openbao_error(text)
    client.put("sys/policies/acl/#{name}", { "policy" => text })
    nil
  rescue PipelineGuard::OpenBao::ClientError => e
    e.message.sub(%r{\APUT sys/policies/acl/\S+: HTTP 400: }, "")
  end

  def local_error(text)
    described_class.parse(text, name:)
    nil
  rescue PipelineGuard::OpenBao::PolicyError => e
    e.message
  end

  it "accepts and refuses the same texts, with the same error text" do
    mismatches = texts.filter_map do |text|
      theirs = openbao_error(text)
      mine = local_error(text)
      "#{text.inspect}: local #{mine.inspect} != OpenBao #{theirs.inspect}" unless mine == theirs
    end
    expect(mismatches).to be_empty, mismatches.join("\n")
  end
end
