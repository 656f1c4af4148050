# frozen_string_literal: true

# One NoCopy module guards every object that holds key material.
RSpec.describe PipelineGuard::NoCopy do
  jwt = PipelineGuard::JWT
  holders = {
    PipelineGuard::Keyring => -> { PipelineGuard::Keyring.generate },
    jwt::VerifyingKey => -> { jwt::VerifyingKey.hmac("v" * 32) },
    jwt::SigningKey => -> { jwt::SigningKey.hmac("s" * 32) },
    jwt::Signer => -> { jwt::Signer.new("s" * 32) },
    jwt::SignerSet => -> { jwt::SignerSet.new },
    jwt::Verifier => -> { jwt::Verifier.new(keys: "v" * 32, algorithms: ["HS256"]) }
  }

  holders.each do |klass, build|
    it "guards #{klass}" do
      expect(klass.ancestors).to include(described_class)
      object = build.call
      expect { Marshal.dump(object) }.to raise_error(TypeError, "#{klass} cannot be marshalled (it holds key material)")
      expect { object.dup }.to raise_error(TypeError)
      expect { object.clone }.to raise_error(TypeError)
    end
  end
end
