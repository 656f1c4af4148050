# frozen_string_literal: true

require "openssl"
require "digest"

# GitLab's own uses of the jwt gem (JSONWebToken::RSAToken/HMACToken,
# Gitlab::JwtAuthenticatable, the Cloud Connector keys and tokens), written
# as GitLab writes them, against PipelineGuard::JWT: the same calls work and
# give the gem's headers.
RSpec.describe "PipelineGuard::JWT at GitLab's call sites" do
  let(:jwt) { PipelineGuard::JWT }
  let(:now) { Time.now.to_i }
  let(:payload) { { "sub" => "user", "iat" => now, "nbf" => now - 5, "exp" => now + 60, "jti" => "j1" } }

  it "JSONWebToken::RSAToken#encoded: RS256 with a kid header, read back as RSAToken.decode does" do
    key = OpenSSL::PKey::RSA.new(2048)
    kid = Digest::SHA256.hexdigest(key.public_key.to_der)[0, 16]
    token = jwt.encode(payload, key, "RS256", { kid: })
    decoded, header = jwt.decode(token, key.public_key, true, { algorithm: "RS256" })
    expect(decoded).to eq(payload)
    expect(header).to eq("kid" => kid, "alg" => "RS256")
  end

  it "JSONWebToken::HMACToken: typ given explicitly, decode with leeway and verify_iat" do
    secret = OpenSSL::Random.random_bytes(32)
    token = jwt.encode(payload, secret, "HS256", { typ: "JWT" })
    decoded, header = jwt.decode(token, secret, true, leeway: 60, verify_iat: true, algorithm: "HS256")
    expect([decoded, header]).to eq([payload, { "typ" => "JWT", "alg" => "HS256" }])
  end

  it "Gitlab::JwtAuthenticatable.decode_jwt: HS256 with and without an issuer check" do
    secret = OpenSSL::Random.random_bytes(32)
    token = jwt.encode(payload.merge("iss" => "gitlab-workhorse"), secret, "HS256")
    expect(jwt.decode(token, secret, true, { algorithm: "HS256" }).first["iss"]).to eq("gitlab-workhorse")
    options = { algorithm: "HS256", iss: "gitlab-workhorse", verify_iss: true, verify_iat: true }
    expect(jwt.decode(token, secret, true, options).first["sub"]).to eq("user")
    expect { jwt.decode(token, secret, true, options.merge(iss: "other")) }.to raise_error(jwt::InvalidIssuerError)
  end

  # CloudConnector::Keys.current_as_jwk / CachingKeyLoader#load_signing_key:
  # the kid generator passed among the parameters (the gem's older form).
  it "CloudConnector::Keys#pem_to_jwk: JWT::JWK.new(rsa, kid_generator: JWT::JWK::Thumbprint)" do
    rsa = OpenSSL::PKey::RSA.new(2048)
    jwk = jwt::JWK.new(OpenSSL::PKey::RSA.new(rsa.to_pem), kid_generator: jwt::JWK::Thumbprint)
    expect(jwk).to be_a(jwt::JWK::RSA)
    expect(jwk.kid).to eq(jwt::JWK::Thumbprint.new(jwk).to_s)
    expect(jwk.kid).to eq(jwt::Signer.new(rsa).kid)
    expect(jwk.export).to eq(kty: "RSA", n: jwk[:n], e: "AQAB", kid: jwk.kid)
  end

  # Gitlab::CloudConnector::JsonWebToken#encode(jwk), verified against the
  # published key set as a backend would.
  it "Gitlab::CloudConnector::JsonWebToken#encode: JWT.encode(payload, jwk.signing_key, 'RS256', typ:, kid:)" do
    jwk = jwt::JWK.new(OpenSSL::PKey::RSA.new(2048), kid_generator: jwt::JWK::Thumbprint)
    token = jwt.encode(payload, jwk.signing_key, "RS256", { typ: "JWT", kid: jwk.kid })
    jwks = { keys: [jwk.export] }
    decoded, header = jwt.decode(token, nil, true, algorithms: ["RS256"], jwks:)
    expect(decoded).to eq(payload)
    expect(header).to eq("typ" => "JWT", "kid" => jwk.kid, "alg" => "RS256")
  end
end
