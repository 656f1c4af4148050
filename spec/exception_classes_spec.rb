# frozen_string_literal: true

# The extension looks its exception classes up once, when it loads: raising
# costs no constant lookup (and no class-path string) per error.
RSpec.describe "Exception classes raised by the extension" do
  let(:hmac_key) { "k" * 32 }

  # The first call may resolve a wrapped type's class (once per type); the
  # second one is the one checked.
  def raises_without_lookup(klass, &)
    expect(&).to raise_error(klass)
    allow(Object).to receive(:const_get).and_call_original
    expect(&).to raise_error(klass)
    expect(Object).not_to have_received(:const_get)
  end

  it "raises a JWT DecodeError without a constant lookup", :gc_stress do
    raises_without_lookup(PipelineGuard::JWT::DecodeError) do
      PipelineGuard::JWT.decode("not.a.token", hmac_key, true, algorithm: "HS256")
    end
  end

  it "raises a JWT ExpiredSignature without a constant lookup", :gc_stress do
    token = PipelineGuard::JWT.encode({ "exp" => 1 }, hmac_key, "HS256")
    raises_without_lookup(PipelineGuard::JWT::ExpiredSignature) do
      PipelineGuard::JWT.decode(token, hmac_key, true, algorithm: "HS256")
    end
  end

  it "raises DecryptionError without a constant lookup", :gc_stress do
    keyring = PipelineGuard::Keyring.generate
    raises_without_lookup(PipelineGuard::DecryptionError) { keyring.decrypt("vault:v1:AAAA") }
  end

  it "raises PolicyError and InvalidInput without a constant lookup", :gc_stress do
    raises_without_lookup(PipelineGuard::OpenBao::PolicyError) { PipelineGuard::OpenBao::Policy.parse("") }
    raises_without_lookup(PipelineGuard::InvalidInput) { PipelineGuard::Crypto.hkdf_sha256("ikm", length: 1_000_000) }
  end
end
