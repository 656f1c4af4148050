# frozen_string_literal: true

# The ID token claims `pipeline_secrets` reads cross into Rust as JSON with
# the claims rules: JSON types only, String or Symbol names, Integers past
# 64 bits as decimal strings, nesting at most 32 below the members.
RSpec.describe "SecretsManager claims conversion" do
  let(:sm) { PipelineGuard::SecretsManager }
  let(:claims) do
    { "sub" => "project_path:g/p", "secrets_manager_scope" => "pipeline", "project_id" => 20, "user_id" => 7,
      "ref" => "main", "ref_type" => "branch", "ref_protected" => "false" }
  end

  def nested(levels) = levels.times.reduce(1) { |inner, _| [inner] }

  it "takes Integers beyond 64 bits as their decimal text" do
    huge = 10**30
    secret = { name: "HUGE", branch: huge.to_s }
    expect(sm.pipeline_secrets([secret], claims.merge("ref" => huge))).to eq(["HUGE"])
    expect(sm.pipeline_secrets([secret], claims.merge(ref: -huge))).to eq([])
  end

  it "refuses objects that are no JSON value, and names that are not Strings or Symbols" do
    expect { sm.pipeline_secrets([], claims.merge("extra" => Object.new)) }
      .to raise_error(TypeError, "unsupported claim value of class Object")
    expect { sm.pipeline_secrets([], claims.merge("extra" => [Time.at(0)])) }
      .to raise_error(TypeError, "unsupported claim value of class Time")
    expect { sm.pipeline_secrets([], claims.merge(1 => "x")) }
      .to raise_error(TypeError, "claim names must be Strings or Symbols")
    expect { sm.pipeline_secrets([], claims.merge("extra" => { 1 => "x" })) }
      .to raise_error(TypeError, "claim names must be Strings or Symbols")
  end

  it "refuses NaN and Infinity" do
    [Float::NAN, Float::INFINITY].each do |bad|
      expect { sm.pipeline_secrets([], claims.merge("extra" => bad)) }
        .to raise_error(PipelineGuard::InvalidInput, "claims must not contain NaN or Infinity")
    end
  end

  it "takes 32 levels of nesting below a member and refuses 33" do
    expect(sm.pipeline_secrets([], claims.merge("extra" => nested(32)))).to eq([])
    expect(sm.pipeline_secrets([], claims.merge("extra" => { "a" => nested(31) }))).to eq([])
    expect { sm.pipeline_secrets([], claims.merge("extra" => nested(33))) }
      .to raise_error(PipelineGuard::InvalidInput, "claims nest too deeply")
    expect { sm.pipeline_secrets([], claims.merge("extra" => { "a" => nested(32) })) }
      .to raise_error(PipelineGuard::InvalidInput, "claims nest too deeply")
  end

  it "reads Symbols, booleans and nil as JSON" do
    secret = { name: "ENV", environment: "prod" }
    expect(sm.pipeline_secrets([secret],
                               claims.merge(environment: :prod, "x" => [true, false, nil, 1.5]))).to eq(["ENV"])
  end
end
