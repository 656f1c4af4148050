# frozen_string_literal: true

module PipelineGuard
  module JWT
    module Claims
      # `verify_payload!`'s checks by name: `:exp`, `:nbf`, `:iss`, `:iat`,
      # `:jti`, `:aud`, `:sub`, `:required`, `:numeric`; a Hash names checks
      # with their options (`exp: { leeway: 10 }`, `iss: [...]`).
      module Verifier
        CHECKERS = {
          exp: ->(options) { Expiration.new(leeway: options.dig(:exp, :leeway)) },
          nbf: ->(options) { NotBefore.new(leeway: options.dig(:nbf, :leeway)) },
          iss: ->(options) { Issuer.new(issuers: options[:iss]) },
          iat: ->(_options) { IssuedAt.new },
          jti: ->(options) { JwtId.new(validator: options[:jti]) },
          aud: ->(options) { Audience.new(expected_audience: options[:aud]) },
          sub: ->(options) { Subject.new(expected_subject: options[:sub]) },
          required: ->(options) { Required.new(required_claims: options[:required]) },
          numeric: ->(_options) { Numeric.new }
        }.freeze
        private_constant :CHECKERS

        class << self
          def verify!(context, *options)
            each_checker(options) { |checker| checker.verify!(context:) }
            nil
          end

          def errors(context, *options)
            errors = []
            each_checker(options) do |checker|
              checker.verify!(context:)
            rescue DecodeError => e
              errors << Error.new(message: e.message)
            end
            errors
          end

          private

          def each_checker(options)
            options.each do |element|
              if element.is_a?(Hash)
                element.each_key { |name| yield checker(name, element) }
              else
                yield checker(element, {})
              end
            end
          end

          def checker(name, options)
            CHECKERS.fetch(name) { raise ArgumentError, "#{name} not a valid claim verifier" }.call(options)
          end
        end
      end
    end
  end
end
