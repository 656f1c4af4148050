# frozen_string_literal: true

module PipelineGuard
  module JWT
    # A fixed key set, allowlist and claim rules. `verify` returns the
    # claims Hash or raises a DecodeError subclass; `verify_many` returns,
    # in order, a claims Hash or the DecodeError instance for each token.
    class Verifier
      include NoCopy

      # `jwks`: a JWKS Hash or JSON String; `keys`: one key or an Array (as
      # JWT.decode takes them). `issuer`/`audience`: a String or Symbol or
      # a list (Array, Set) of accepted values; `subject` a String. nil
      # skips that check; a value that cannot be compared (nil or another
      # type in a list, an empty String or list) raises ArgumentError.
      # exp and nbf are always checked (with `leeway`).
      def self.new(algorithms:, jwks: nil, keys: nil, issuer: nil, audience: nil, subject: nil, leeway: 0,
                   required_claims: [], max_token_bytes: DEFAULT_MAX_TOKEN_BYTES, verify_iat: false)
        jwks = JSON.parse(jwks) if jwks.is_a?(String)
        _new(jwks, key_sources(keys), Array(algorithms).map(&:to_s), expectation(issuer, :issuer),
             expectation(audience, :audience), subject.nil? ? nil : text(subject, :subject), Integer(leeway),
             names(required_claims), Integer(max_token_bytes), verify_iat == true, JWT.enforce_hmac_key_length)
      end

      def self.expectation(value, name)
        return nil if value.nil?
        return text(value, name) if value.is_a?(String) || value.is_a?(Symbol)

        list = names(value, name)
        raise ArgumentError, "#{name}: must not be an empty list" if list.empty?

        list
      end

      def self.names(value, name = :required_claims)
        return [text(value, name)] if value.is_a?(String) || value.is_a?(Symbol)
        unless value.respond_to?(:to_a) && !value.is_a?(Hash)
          raise ArgumentError, "#{name}: must be a String or a list of Strings, not #{value.class}"
        end

        value.to_a.map { |item| text(item, name) }
      end

      def self.text(value, name)
        unless value.is_a?(String) || value.is_a?(Symbol)
          raise ArgumentError, "#{name}: must hold Strings, not #{value.inspect}"
        end
        raise ArgumentError, "#{name}: must not be empty" if value.empty?

        value.to_s
      end

      def self.key_sources(keys)
        keys = [keys] unless keys.nil? || keys.is_a?(Array)
        (keys || []).map { |k| Keys.verifying_source(k) }
      end
      private_class_method :expectation, :names, :text, :key_sources

      # `at:` a Time or Unix seconds instead of the clock's now
      # (PipelineGuard.clock).
      def verify_many(tokens, at: nil)
        _verify_many(tokens, at)
      end

      # Like verify_many, but raises the first failure (its class, with
      # "item <index>: " before the message).
      def verify_many!(tokens, at: nil)
        results = _verify_many(tokens, at)
        results.each_with_index do |r, i|
          raise r.class, "item #{i}: #{r.message}" if r.is_a?(Exception)
        end
        results
      end
    end
  end
end
