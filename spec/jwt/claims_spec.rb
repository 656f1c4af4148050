# frozen_string_literal: true

# JWT::Claims, JWT::Verify and JWT::ClaimsValidator run the checks of a
# verifying decode (never a second copy of them), and refuse an enabled
# check without its expectation as decode does.
RSpec.describe PipelineGuard::JWT::Claims do
  let(:jwt) { PipelineGuard::JWT }
  let(:secret) { "k" * 32 }
  let(:now) { Time.now.to_i }

  # Signed directly: encode refuses a non-numeric exp/nbf/iat.
  def token(payload)
    input = [{ "alg" => "HS256" }, payload].map { |part| jwt::Base64.url_encode(JSON.generate(part)) }.join(".")
    "#{input}.#{jwt::Base64.url_encode(OpenSSL::HMAC.digest('SHA256', secret, input))}"
  end

  def outcome
    yield
    :ok
  rescue StandardError => e
    [e.class, e.message]
  end

  it "gives the same answer as decode for the same payload and options", :gc_stress do
    cases = [
      [{ "exp" => now - 5 }, { verify_expiration: true }],
      [{ "exp" => now - 5 }, { verify_expiration: true, leeway: 10 }],
      [{ "exp" => "abc" }, { verify_expiration: true }],
      [{ "nbf" => "abc" }, { verify_not_before: true }],
      [{ "nbf" => now + 60 }, { verify_not_before: true, nbf_leeway: 30 }],
      [{ "iat" => now + 60 }, { verify_iat: true }],
      [{ "iss" => "a" }, { verify_iss: true, iss: %w[b c] }],
      [{ "iss" => "a" }, { verify_iss: true, iss: /\Ab\z/ }],
      [{ "aud" => %w[x y] }, { verify_aud: true, aud: "y" }],
      [{ "aud" => "x" }, { verify_aud: true, aud: Set["z"] }],
      [{ "sub" => 42 }, { verify_sub: true, sub: "42" }],
      [{ "jti" => " " }, { verify_jti: true }],
      [{ "jti" => "j" }, { verify_jti: ->(jti, payload) { jti == "j" && payload.key?("jti") } }],
      [{ "a" => 1 }, { required_claims: %w[a b] }],
      [{ "a" => 1 }, { verify_iss: true }],
      [{ "a" => 1 }, { verify_sub: true, sub: "" }]
    ]
    cases.each do |payload, options|
      full = { verify_expiration: false, verify_not_before: false }.merge(options)
      decoded = outcome { jwt.decode(token(payload), secret, true, { algorithm: "HS256" }.merge(full)) }
      expected = decoded == :ok ? :ok : decoded
      expect(outcome { described_class.verify!(payload, options) }).to eq(expected), [payload, options].inspect
    end
  end

  it "refuses an enabled check without its expectation in every entry point" do
    payload = { "iss" => "x", "aud" => "y", "sub" => "z" }
    context = described_class::VerificationContext.new(payload:)
    [
      -> { described_class.verify!(payload, verify_iss: true) },
      -> { described_class.verify!(payload, "verify_aud" => true) },
      -> { described_class::Issuer.new(issuers: nil).verify!(context:) },
      -> { described_class::Audience.new(expected_audience: nil).verify!(context:) },
      -> { described_class.verify_payload!(payload, :sub) },
      -> { described_class.payload_errors(payload, :iss) },
      -> { jwt::Verify.verify_iss(payload, {}) },
      -> { jwt::Verify.verify_sub(payload, sub: nil) }
    ].each { |call| expect(&call).to raise_error(ArgumentError) }
  end

  it "reads now from PipelineGuard's clock, as decode does" do
    payload = { "exp" => now + 100 }
    allow(Time).to receive(:now).and_return(Time.at(now + 200))
    expect { described_class.verify_payload!(payload, :exp) }.to raise_error(jwt::ExpiredSignature)
    expect(jwt::Verify.verify_claims(payload, {})).to be(true)
    expect { jwt::Verify.verify_expiration(payload, {}) }.to raise_error(jwt::ExpiredSignature)
  end

  it "checks numeric claims as encode does", :gc_stress do
    expect { jwt::ClaimsValidator.new(exp: "1").validate! }.to raise_error(jwt::InvalidPayload)
    expect { jwt.encode({ exp: "1" }, secret, "HS256") }.to raise_error(jwt::InvalidPayload)
    expect(jwt::ClaimsValidator.new("exp" => 1.5).validate!).to be(true)
    expect(described_class.payload_errors({ "iat" => Time.now }, :numeric).map(&:message))
      .to eq([outcome { jwt.encode({ "iat" => Time.now }, secret, "HS256") }.last])
  end
end
