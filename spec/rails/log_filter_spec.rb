# frozen_string_literal: true

require "logger"
require "stringio"
require "pipeline_guard/rails"

RSpec.describe PipelineGuard::Rails::LogFilter do
  let(:jwt) { "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl" }

  it "scrubs JWTs, ciphertexts, bearer tokens and sensitive GraphQL arguments", :gc_stress do
    gql = %{mutation { projectSecretCreate(input: {name: "DB", secret: "hunter2", branch: "main"}) }}
    line = %(token=#{jwt} ct=vault:v3:AbC+/= Authorization: Bearer glpat-abc123 #{gql})
    out = described_class.scrub(line)
    expect(out).not_to include(jwt, "vault:v3:AbC", "glpat-abc123", "hunter2")
    expect(out).to include('name: "DB"', 'branch: "main"', "Bearer [FILTERED]", 'secret: "[FILTERED]"')
  end

  it "leaves ordinary lines untouched (and the same object)" do
    line = "Completed 200 OK in 5ms"
    expect(described_class.scrub(line)).to equal(line)
  end

  it "handles escaped quotes inside a sensitive argument" do
    out = described_class.scrub('secret: "a\\"b\\"c" other')
    expect(out).to eq('secret: "[FILTERED]" other')
  end

  it "installs into a logger so every line is scrubbed" do
    io = StringIO.new
    logger = described_class.install(Logger.new(io))
    described_class.install(logger) # idempotent
    logger.info("login with #{jwt}")
    expect(io.string).to include("login with [FILTERED]")
    expect(io.string).not_to include(jwt)
  end

  it "gives Rails a parameter filter proc that scrubs values" do
    require "active_support/parameter_filter"
    filter = ActiveSupport::ParameterFilter.new(
      PipelineGuard::Rails::LogFilter::PARAMETERS + [described_class.parameter_filter]
    )
    params = { "query" => 'mutation { x(secret: "v") }', "variables" => { "secret" => "v" }, "id_token" => jwt }
    out = filter.filter(params)
    expect(out["query"]).to eq('mutation { x(secret: "[FILTERED]") }')
    expect(out["variables"]["secret"]).to eq("[FILTERED]")
    expect(out["id_token"]).to eq("[FILTERED]")
    expect(params["query"]).to include('"v"')
  end

  describe "gaps a plain pattern list missed" do
    it "filters GraphQL block strings" do
      gql = %(mutation { projectSecretCreate(input: {name: "DB", secret: """hunter2\n"quoted"\nline""", x: "y"}) })
      out = described_class.scrub(gql)
      expect(out).not_to include("hunter2", "quoted", "line")
      expect(out).to include('secret: "[FILTERED]"', 'name: "DB"', 'x: "y"')
    end

    it "filters GraphQL arguments JSON-escaped inside a logged String" do
      line = "Parameters: #{{ 'query' => 'mutation { x(secret: "hun\\"ter2", name: "DB") }' }.inspect}"
      out = described_class.scrub(line)
      expect(out).not_to include("hun", "ter2")
      expect(out).to include("DB")
    end

    let(:query) { "mutation($v: String!, $n: String!) { projectSecretCreate(input: {name: $n, secret: $v}) }" }

    it "filters variables bound to sensitive arguments in Hash#inspect and JSON log lines" do
      inspected = { "query" => query, "variables" => { "v" => "hunter2", "n" => "DB" } }.inspect
      json = JSON.generate("query" => query, "variables" => { "v" => "hunter2", "n" => "DB" })
      [inspected, json].each do |line|
        out = described_class.scrub(line)
        expect(out).not_to include("hunter2")
        expect(out).to include("DB")
      end
    end

    it "filters variables bound to sensitive arguments in request parameters" do
      require "active_support/parameter_filter"
      filter = ActiveSupport::ParameterFilter.new(
        PipelineGuard::Rails::LogFilter::PARAMETERS + [described_class.parameter_filter]
      )
      params = { "query" => query, "variables" => { "v" => "hunter2", "n" => "DB" } }
      expect(filter.filter(params)["variables"]).to eq("v" => "[FILTERED]", "n" => "DB")
      # graphql-ruby controllers also receive variables as a JSON String.
      params = { "query" => query, "variables" => JSON.generate("v" => "hunter2", "n" => "DB") }
      out = filter.filter(params)["variables"]
      expect(out).not_to include("hunter2")
      expect(out).to include("DB")
      batched = { "_json" => [{ "query" => query, "variables" => { "v" => "hunter2" } }] }
      expect(filter.filter(batched)["_json"].first["variables"]).to eq("v" => "[FILTERED]")
      expect(params["variables"]).to include("hunter2")
    end

    it "filters credential headers in plain, Hash#inspect, JSON and Rack env form" do
      token = "opaque-credential-1234"
      lines = [
        %({"X-Vault-Token"=>"#{token}"}), %({"X-Vault-Token":"#{token}"}), %(X-Vault-Token: #{token}),
        %(Authorization: Token #{token}), %({"Authorization"=>"Token #{token}"}), %(Private-Token: #{token}),
        %(PRIVATE-TOKEN: #{token}), %({"HTTP_PRIVATE_TOKEN"=>"#{token}"}), %(Job-Token: #{token}),
        %({"JOB-TOKEN":"#{token}"}), %({"HTTP_X_VAULT_TOKEN"=>"#{token}"})
      ]
      lines.each do |line|
        out = described_class.scrub(line)
        expect(out).not_to include(token), line
        expect(out).to include("[FILTERED]")
      end
      expect(described_class.scrub(%(Authorization: Token #{token}))).to eq("Authorization: Token [FILTERED]")
      expect(described_class.scrub(%({"X-Vault-Token"=>"#{token}"}))).to eq(%({"X-Vault-Token"=>"[FILTERED]"}))
    end

    it "filters OpenBao, Vault and GitLab tokens wherever they appear" do
      tokens = %w[
        s.kykT3Cf3h9W0vO9YiBxhEZAy b.AAAAAQIX6kbCPCe2qGmeP0LD2DFBWrCUyW1J_z6w4Ee-seCM7qnTzWTV
        hvs.CAESIJlongtokenvalue1234567890abc hvb.AAAAAQJlongbatchtokenvalue123 hvr.abcdefghijklmnopqrstuvwx
        glpat-abcdefghij0123456789 glpat-abcdefghijklmnopqrstuvwxyz0.01.1a2b3c4d5 gloas-abcdefghij0123456789
        gldt-abcdefghij0123456789 glrt-t1_abcdefghij0123456789 glcbt-64_abcdefghij0123456789
        glptt-0123456789abcdef0123456789abcdef01234567 glft-abcdefghij0123456789 glimt-abcdefghij0123456789abcde
        glagent-abcdefghij0123456789 glsoat-abcdefghij0123456789 gltst-abcdefghij0123456789
        glffct-abcdefghij0123456789 GR1348941abcdefghij0123456789
      ]
      tokens.each do |token|
        out = described_class.scrub("using #{token} now")
        expect(out).to eq("using [FILTERED] now"), token
      end
      expect(described_class.scrub("Token glpat-abcdefghij0123456789")).not_to include("glpat-")
    end

    it "keeps lines without anything to filter untouched and cheap" do
      ["Completed 200 OK in 5ms (Views: 1.2ms | ActiveRecord: 0.4ms)", "items.each took 3s",
       "Started POST \"/api/graphql\" for 127.0.0.1"].each do |line|
        expect(described_class.scrub(line)).to equal(line)
      end
    end
  end
end
