# frozen_string_literal: true

require "json"
require "active_support/notifications"

RSpec.describe PipelineGuard::JWT::JwksCache do
  def signer = PipelineGuard::JWT::Signer.new(OpenSSL::PKey::EC.generate("prime256v1"), algorithm: "ES256")

  let(:old_key) { signer }
  let(:new_key) { signer }
  let(:claims) { { "sub" => "job", "exp" => Time.now.to_i + 600 } }
  # What the issuer serves: [status, body]; `delay` slows every answer.
  let(:state) { { status: 200, body: JSON.generate(old_key.jwks), delay: 0 } }
  let!(:issuer) do
    LoopbackHTTP.new do |_m, path, _h, _b|
      sleep state[:delay]
      if path == "/.well-known/openid-configuration"
        [200, {}, JSON.generate("issuer" => state.fetch(:issuer, "http://127.0.0.1:#{issuer.port}"),
                                "jwks_uri" => "http://127.0.0.1:#{issuer.port}/keys")]
      else
        [state[:status], {}, state[:body]]
      end
    end
  end
  let(:url) { "#{issuer.url}/keys" }

  after { issuer.stop }

  def fetches = issuer.requests.size
  def serve(*signers) = state[:body] = JSON.generate("keys" => signers.flat_map { |s| s.jwks["keys"] })

  it "fetches once per ttl" do
    cache = described_class.new(url:, ttl: 0.2)
    3.times { expect(cache.jwks["keys"].first["kid"]).to eq(old_key.kid) }
    expect(fetches).to eq(1)
    sleep 0.25
    cache.jwks
    expect(fetches).to eq(2)
    expect(cache.jwks).to be_frozen
  end

  it "is the key source of Verifier.new(jwks:) and follows a key rotation through an unknown kid" do
    cache = described_class.new(url:, min_refresh_interval: 0.2)
    verifier = PipelineGuard::JWT::Verifier.new(jwks: cache, algorithms: ["ES256"], audience: "bao")
    expect(verifier.verify(old_key.sign(claims.merge("aud" => "bao")))).to include("sub" => "job")
    expect { verifier.verify(old_key.sign(claims.merge("aud" => "x"))) }
      .to raise_error(PipelineGuard::JWT::InvalidAudError)
    serve(old_key, new_key)
    token = new_key.sign(claims.merge("aud" => "bao"))
    expect(verifier.verify(token)).to include("sub" => "job")
    expect(verifier.verify_many([token, old_key.sign(claims.merge("aud" => "bao"))]).map(&:class)).to eq([Hash, Hash])
    expect(verifier.kids).to contain_exactly(old_key.kid, new_key.kid)
    expect(fetches).to eq(2)
  end

  it "refreshes for unknown kids at most once per min_refresh_interval (forged kids cannot hammer the issuer)" do
    cache = described_class.new(url:, min_refresh_interval: 0.3)
    verifier = PipelineGuard::JWT::Verifier.new(jwks: cache, algorithms: ["ES256"])
    forged = Array.new(20) { |i| new_key.sign(claims, { "kid" => "forged-#{i}" }) }
    forged.each { |t| expect { verifier.verify(t) }.to raise_error(PipelineGuard::JWT::DecodeError) }
    expect(fetches).to eq(2) # the first load and one refresh
    sleep 0.35
    expect { verifier.verify(forged.first) }.to raise_error(PipelineGuard::JWT::DecodeError)
    expect(fetches).to eq(3)
  end

  it "is the jwks: key source of JWT.decode (the gem's loader protocol), refreshing on an unknown kid" do
    cache = described_class.new(url:, min_refresh_interval: 0)
    payload, header = PipelineGuard::JWT.decode(old_key.sign(claims), nil, true, algorithms: ["ES256"], jwks: cache)
    expect([payload["sub"], header["kid"]]).to eq(["job", old_key.kid])
    serve(new_key)
    payload, = PipelineGuard::JWT.decode(new_key.sign(claims), nil, true, algorithms: ["ES256"], jwks: cache)
    expect(payload["sub"]).to eq("job")
    expect do
      PipelineGuard::JWT.decode(old_key.sign(claims), nil, true, algorithms: ["ES256"], jwks: cache)
    end.to raise_error(PipelineGuard::JWT::DecodeError, /Could not find public key for kid/)
  end

  it "serves the last keys while the issuer fails, for stale_ttl, then raises JwksFetchError" do
    cache = described_class.new(url:, ttl: 0.1, stale_ttl: 0.4, min_refresh_interval: 0.1)
    verifier = PipelineGuard::JWT::Verifier.new(jwks: cache, algorithms: ["ES256"])
    state[:status] = 500
    sleep 0.15
    token = old_key.sign(claims)
    5.times { expect(verifier.verify(token)).to include("sub" => "job") }
    expect(fetches).to eq(2) # one failed attempt, then throttled
    sleep 0.4
    expect { verifier.verify(token) }.to raise_error(PipelineGuard::JWT::JwksFetchError, /HTTP 500/)
    expect { cache.jwks }.to raise_error(PipelineGuard::JWT::JwksFetchError)
    state[:status] = 200
    expect(cache.refresh!["keys"].size).to eq(1)
    expect(verifier.verify(token)).to include("sub" => "job")
  end

  it "raises JwksFetchError (a DecodeError) with no keys to fall back on, and never an empty key set" do
    state[:status] = 404
    expect { PipelineGuard::JWT::Verifier.new(jwks: described_class.new(url:), algorithms: ["ES256"]) }
      .to raise_error(PipelineGuard::JWT::JwksFetchError, /HTTP 404/)
    state[:status] = 200
    { JSON.generate("keys" => []) => /no keys/, "nope" => /not valid JSON/, "[1]" => /"keys" array/,
      JSON.generate("keys" => [1]) => /objects/ }.each do |body, error|
      state[:body] = body
      expect { described_class.new(url:).jwks }.to raise_error(PipelineGuard::JWT::DecodeError, error)
    end
  end

  it "enforces the response size and key count limits and times out a slow issuer" do
    serve(*Array.new(3) { signer })
    expect do
      described_class.new(url:, max_keys: 2).jwks
    end.to raise_error(PipelineGuard::JWT::JwksFetchError, /max_keys 2/)
    expect { described_class.new(url:, max_bytes: 100).jwks }
      .to raise_error(PipelineGuard::JWT::JwksFetchError, /larger than 100 bytes/)
    state[:delay] = 1
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    expect { described_class.new(url:, read_timeout: 0.2).jwks }
      .to raise_error(PipelineGuard::JWT::JwksFetchError, /ReadTimeout/)
    expect(Process.clock_gettime(Process::CLOCK_MONOTONIC) - started).to be < 0.9
  end

  it "lets many threads wait for one fetch" do
    state[:delay] = 0.2
    cache = described_class.new(url:, ttl: 60)
    sets = Array.new(12) { Thread.new { cache.jwks } }.map(&:value)
    expect(sets.uniq.size).to eq(1)
    expect(fetches).to eq(1)
  end

  it "works in a forked child with its own lock and fetches" do
    cache = described_class.new(url:)
    cache.jwks
    serve(new_key)
    reader, writer = IO.pipe
    pid = fork do
      reader.close
      writer.write(cache.refresh!["keys"].first["kid"])
      writer.close
      exit!(0)
    end
    writer.close
    Process.wait(pid)
    expect(reader.read).to eq(new_key.kid)
    expect(cache.jwks["keys"].first["kid"]).to eq(old_key.kid) # the parent's cache is its own
  end

  it "takes any fetcher" do
    calls = []
    fetcher = lambda do |u, max_bytes:|
      calls << [u, max_bytes]
      JSON.generate(old_key.jwks)
    end
    cache = described_class.new(url: "https://issuer.example/keys", fetcher:, max_bytes: 1000)
    expect(PipelineGuard::JWT::Verifier.new(jwks: cache, algorithms: ["ES256"]).verify(old_key.sign(claims)))
      .to include("sub" => "job")
    expect(calls).to eq([["https://issuer.example/keys", 1000]])
    broken = described_class.new(url: "https://issuer.example/keys", fetcher: ->(_u, **) { raise "boom" })
    expect { broken.jwks }.to raise_error(PipelineGuard::JWT::JwksFetchError, /RuntimeError/)
  end

  it "discovers jwks_uri through OIDC discovery and enforces the issuer match" do
    cache = described_class.new(issuer: issuer.url)
    expect(cache.jwks["keys"].first["kid"]).to eq(old_key.kid)
    expect(cache.url).to eq(url)
    state[:issuer] = "https://evil.example"
    expect { described_class.new(issuer: issuer.url).jwks }
      .to raise_error(PipelineGuard::JWT::JwksFetchError, %r{names issuer "https://evil.example"})
  end

  it "refuses a discovery document without a usable jwks_uri" do
    { "nope" => /not valid JSON/, JSON.generate("issuer" => "x") => /names issuer/,
      JSON.generate("issuer" => "https://idp.example") => /no jwks_uri/,
      JSON.generate("issuer" => "https://idp.example", "jwks_uri" => "http://idp.example/keys") => /not https/,
      JSON.generate("issuer" => "https://idp.example", "jwks_uri" => "keys") => /jwks_uri: not an absolute/ }
      .each do |config, error|
        cache = described_class.new(issuer: "https://idp.example", fetcher: ->(_u, **) { config })
        expect { cache.jwks }.to raise_error(PipelineGuard::JWT::JwksFetchError, error)
      end
  end

  it "makes JWT.decode raise a DecodeError when no keys can be had" do
    state[:status] = 503
    cache = described_class.new(url:)
    expect { PipelineGuard::JWT.decode(old_key.sign(claims), nil, true, algorithms: ["ES256"], jwks: cache) }
      .to raise_error(PipelineGuard::JWT::DecodeError, /HTTP 503/)
  end

  it "refuses plain http except on loopback, and bad settings" do
    expect do
      described_class.new(url: "http://issuer.example/keys")
    end.to raise_error(PipelineGuard::JWT::JwksFetchError, /not https/)
    expect(described_class.new(url: "http://issuer.example/keys", allow_http: true).issuer).to be_nil
    expect { described_class.new(url:, issuer: issuer.url) }.to raise_error(ArgumentError)
    expect { described_class.new(url: "keys") }.to raise_error(ArgumentError)
    expect { described_class.new(url:, ttl: 0) }.to raise_error(ArgumentError)
  end

  it "publishes refresh events" do
    events = []
    sub = ActiveSupport::Notifications.subscribe(/jwks_cache/) { |name, *, payload| events << [name, payload] }
    described_class.new(url:).jwks
    expect(events).to eq([["refresh.jwks_cache.pipeline_guard", { url:, reason: :ttl, keys: 1 }]])
  ensure
    ActiveSupport::Notifications.unsubscribe(sub) if sub
  end
end
