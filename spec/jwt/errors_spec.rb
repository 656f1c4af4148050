# frozen_string_literal: true

require "jwt"

RSpec.describe "PipelineGuard::JWT exceptions" do
  decode_errors = %w[VerificationError ExpiredSignature IncorrectAlgorithm ImmatureSignature InvalidIssuerError
                     InvalidIatError InvalidAudError InvalidSubError InvalidCritError InvalidJtiError InvalidPayload
                     MissingRequiredClaim Base64DecodeError JWKError]

  decode_errors.each do |name|
    it "#{name} is a DecodeError, as in the jwt gem" do
      klass = PipelineGuard::JWT.const_get(name)
      expect(klass.superclass).to eq(PipelineGuard::JWT::DecodeError)
      expect(klass.ancestors).to include(PipelineGuard::Error, StandardError)
      next unless JWT.const_defined?(name)

      expect(JWT.const_get(name).ancestors).to include(JWT::DecodeError)
    end
  end

  describe "claim-check messages, side by side with the jwt gem" do
    secret = "claims-secret-claims-secret-32by"
    cases = {
      "issuer, one expected" => [{ "iss" => "https://b" }, { iss: "https://a", verify_iss: true }],
      "issuer, absent" => [{}, { iss: %w[https://a https://c], verify_iss: true }],
      "audience, String expected" => [{ "aud" => %w[x y] }, { aud: "api", verify_aud: true }],
      "audience, Array expected, false received" => [{ "aud" => false }, { aud: %w[a b], verify_aud: true }],
      "subject, Float received" => [{ "sub" => 1.0 }, { sub: "job_1", verify_sub: true }],
      "subject, Hash received" => [{ "sub" => { "k" => nil } }, { sub: "job_1", verify_sub: true }],
      "iat in the future" => [{ "iat" => 4_000_000_000 }, { verify_iat: true }],
      "blank jti" => [{ "jti" => "  " }, { verify_jti: true }],
      "refused jti" => [{ "jti" => "no" }, { verify_jti: ->(jti) { jti == "ok" } }],
      "required claim" => [{}, { required_claims: ["project_id"] }],
      "expired" => [{ "exp" => 1 }, {}],
      "immature" => [{ "nbf" => 4_000_000_000 }, {}]
    }
    cases.each do |what, (claims, options)|
      it "#{what}: same class and text" do
        token = JWT.encode(claims, secret, "HS256")
        theirs = begin
          JWT.decode(token, secret, true, { algorithm: "HS256" }.merge(options))
        rescue JWT::DecodeError => e
          e
        end
        ours = begin
          PipelineGuard::JWT.decode(token, secret, true, { algorithm: "HS256" }.merge(options))
        rescue PipelineGuard::JWT::DecodeError => e
          e
        end
        expect(theirs).to be_a(JWT::DecodeError)
        expect([ours.class.name.delete_prefix("PipelineGuard::"), ours.message])
          .to eq([theirs.class.name, theirs.message])
      end
    end

    { { "k" => 1 } => "Hash", false => "FalseClass", nil => "NilClass", 1.5 => nil }.each do |value, ruby_class|
      it "a non-numeric exp of #{value.inspect} names #{ruby_class.inspect}" do
        call = -> { PipelineGuard::JWT.encode({ "exp" => value }, secret, "HS256") }
        if ruby_class
          expect(&call).to raise_error(PipelineGuard::JWT::InvalidPayload,
                                       "exp claim must be a Numeric value but it is a #{ruby_class}")
        else
          expect(call.call).to be_a(String)
        end
      end
    end
  end

  it "keeps EncodeError and DecodeError apart, both under PipelineGuard::Error" do
    expect(PipelineGuard::JWT::EncodeError.superclass).to eq(PipelineGuard::Error)
    expect(PipelineGuard::JWT::DecodeError.superclass).to eq(PipelineGuard::Error)
    expect(PipelineGuard::JWT::EncodeError.ancestors).not_to include(PipelineGuard::JWT::DecodeError)
  end

  it "never puts secrets or tokens in messages or inspect", :gc_stress do
    secret = "topsecret-topsecret-topsecret-32"
    token = PipelineGuard::JWT.encode({ "exp" => 1 }, secret, "HS256")
    messages = []
    [-> { PipelineGuard::JWT.decode(token, secret, true, algorithms: ["HS256"]) },
     -> { PipelineGuard::JWT.decode("#{token}x", secret, true, algorithms: ["HS256"]) },
     -> { PipelineGuard::JWT.decode(token, "other-#{secret}", true, algorithms: ["HS256"]) }].each do |call|
      call.call
    rescue PipelineGuard::JWT::DecodeError => e
      messages << e.message << e.full_message
    end
    key = PipelineGuard::JWT::VerifyingKey.hmac(secret)
    messages << key.inspect << PipelineGuard::JWT::SigningKey.hmac(secret).inspect
    expect(messages.size).to eq(8)
    messages.each do |m|
      expect(m).not_to include(secret)
      expect(m).not_to include(token.split(".").last)
    end
    expect(key.inspect).to eq("#<PipelineGuard::JWT::VerifyingKey HMAC>")
  end
end
