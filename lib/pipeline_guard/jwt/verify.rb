# frozen_string_literal: true

module PipelineGuard
  module JWT
    # The jwt gem's older claim API: `Verify.verify_aud(payload, options)`
    # and friends, each enabling one check; `verify_claims` runs what the
    # options enable. The checks are `Claims.verify!`'s.
    class Verify
      DEFAULTS = { leeway: 0 }.freeze
      METHODS = %w[verify_aud verify_expiration verify_iat verify_iss verify_jti verify_not_before verify_sub
                   verify_required_claims].freeze

      class << self
        METHODS.each do |name|
          define_method(name) { |payload, options| new(payload, options).public_send(name) }
        end

        def verify_claims(payload, options)
          Claims.verify!(payload, options)
          true
        end
      end

      def initialize(payload, options)
        @payload = payload
        @options = DEFAULTS.merge(options)
      end

      METHODS.each do |name|
        define_method(name) { Claims.verify!(@payload, @options.merge(name => true)) }
      end
    end
  end
end
