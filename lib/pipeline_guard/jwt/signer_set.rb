# frozen_string_literal: true

module PipelineGuard
  module JWT
    # Signers under rotation: the newest signs, every live one is
    # published, retired ones disappear from the JWKS.
    class SignerSet
      include NoCopy

      def self.new(signers = [])
        set = _new
        signers.each { |s| set.rotate(s) }
        set
      end

      # Adds a Signer (or a private key, with Signer.new's options) as the
      # current one; returns its kid.
      def rotate(signer, **options)
        signer = Signer.new(signer, **options) unless signer.is_a?(Signer)
        _rotate(signer)
      end

      def sign(claims, header = {})
        _sign(claims, header)
      end

      def mint_id_token(job_info = nil, jti: nil, **fields)
        _mint_id_token(IdToken.with_defaults(job_info || fields), jti)
      end

      # A Verifier that accepts every live key of the set.
      def verifier(algorithms: nil, **options)
        algorithms ||= jwks["keys"].map { |k| k["alg"] }.uniq
        Verifier.new(jwks:, algorithms:, **options)
      end
    end
  end
end
