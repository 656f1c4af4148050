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
