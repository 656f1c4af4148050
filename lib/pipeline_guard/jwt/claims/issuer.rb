# frozen_string_literal: true

module PipelineGuard
  module JWT
    module Claims
      # `iss` must match one of the issuers (Strings, Symbols, Regexps,
      # Procs, Methods, compared as the gem compares them).
      class Issuer
        def initialize(issuers:)
          @issuers = issuers
        end

        def verify!(context:, **)
          Claims.check!(context.payload, verify_iss: true, iss: @issuers)
        end
      end
    end
  end
end
