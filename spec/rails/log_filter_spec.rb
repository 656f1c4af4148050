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
end
