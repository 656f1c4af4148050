# frozen_string_literal: true

module PipelineGuard
  module JWT
    module JWA
      # What an algorithm object is, as the jwt gem 2.9 defines it: custom
      # algorithms include (or extend) this module and define `alg`,
      # `sign(data:, signing_key:)` and `verify(data:, signature:,
      # verification_key:)`; `header` adds header fields when encoding.
      module SigningAlgorithm
        # `register_algorithm` on the including class.
        module ClassMethods
          def register_algorithm(algo)
            JWA.register_algorithm(algo)
          end
        end

        def self.included(klass)
          klass.extend(ClassMethods)
          klass.include(Compat)
        end

        attr_reader :alg

        def valid_alg?(alg_to_check)
          alg&.casecmp(alg_to_check)&.zero? == true
        end

        def header(*)
          { "alg" => alg }
        end

        def sign(*)
          raise_sign_error!("Algorithm implementation is missing the sign method")
        end

        def verify(*)
          raise_verify_error!("Algorithm implementation is missing the verify method")
        end

        def raise_verify_error!(message)
          raise(DecodeError.new(message).tap { |e| e.set_backtrace(caller(1)) })
        end

        def raise_sign_error!(message)
          raise(EncodeError.new(message).tap { |e| e.set_backtrace(caller(1)) })
        end
      end
    end
  end
end
