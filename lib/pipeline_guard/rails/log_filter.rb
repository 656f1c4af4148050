# frozen_string_literal: true

require "logger"

module PipelineGuard
  module Rails
    # Keeps tokens, secret values and ciphertexts out of logs.
    #
    # * PARAMETERS go to `config.filter_parameters` (request parameters and
    #   `inspect` of records).
    # * A filter proc scrubs GraphQL query strings, whose inline arguments
    #   (`secret: "..."`) parameter-name filtering cannot see.
    # * The formatter hook scrubs every log line: JWTs, `vault:v1:` ciphertexts,
    #   `Bearer`/`X-Vault-Token` credentials and sensitive GraphQL arguments.
    module LogFilter
      FILTERED = "[FILTERED]"
      PARAMETERS = %i[token jwt id_token secret password ciphertext private_key value].freeze
      SENSITIVE_ARGUMENTS = %w[secret value token jwt idToken id_token password].freeze

      JWT_PATTERN = /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/
      CIPHERTEXT_PATTERN = %r{\bvault:v\d+:[A-Za-z0-9+/=]+}
      CREDENTIAL_PATTERN = /\b(Bearer|X-Vault-Token:?)\s+[^\s",']+/i
      ARGUMENT_PATTERN = /\b(#{SENSITIVE_ARGUMENTS.join('|')})(\s*:\s*)"(?:[^"\\]|\\.)*"/

      class << self
        # The text with every sensitive part replaced by [FILTERED].
        def scrub(text)
          return text unless text.is_a?(String) && might_contain_secret?(text)

          text.gsub(JWT_PATTERN, FILTERED)
              .gsub(CIPHERTEXT_PATTERN, FILTERED)
              .gsub(CREDENTIAL_PATTERN) { "#{Regexp.last_match(1)} #{FILTERED}" }
              .gsub(ARGUMENT_PATTERN) { "#{Regexp.last_match(1)}#{Regexp.last_match(2)}\"#{FILTERED}\"" }
        end

        # A `filter_parameters` entry that scrubs parameter values in place
        # (Rails hands the proc a copy).
        def parameter_filter
          lambda do |_key, value|
            value.replace(scrub(value)) if value.is_a?(String) && !value.frozen?
          end
        end

        # Makes a logger scrub each message before formatting.
        def install(logger)
          return logger if logger.nil?

          logger.formatter ||= ::Logger::Formatter.new
          return logger if logger.formatter.singleton_class.include?(Formatter)

          logger.formatter.singleton_class.prepend(Formatter)
          logger
        end

        private

        def might_contain_secret?(text)
          text.include?("eyJ") || text.include?("vault:v") || text.match?(/bearer|vault-token/i) ||
            SENSITIVE_ARGUMENTS.any? { |a| text.include?(a) }
        end
      end

      # Prepended to a logger's formatter.
      module Formatter
        def call(severity, time, progname, msg)
          super(severity, time, progname, msg.is_a?(String) ? LogFilter.scrub(msg) : msg)
        end
      end
    end
  end
end
