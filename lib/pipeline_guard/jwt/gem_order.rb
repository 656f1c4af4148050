# frozen_string_literal: true

require "json"

module PipelineGuard
  module JWT
    # When `decode` fails, the jwt gem may have failed earlier in its own
    # order with another error: segments, then segment encoding, then the
    # algorithm checks, then "No verification key available". This replays
    # those steps (never the key finder, never a signature) so callers see
    # the gem's class and message; it only ever picks an error, it never
    # lets a token pass. Costs nothing on success.
    module GemOrder
      ALGORITHM_KEYS = ["algorithm", :algorithm, "algorithms", :algorithms].freeze

      class << self
        # Raises the error the gem raises first, or returns to let the
        # caller re-raise its own.
        def check!(jwt, key, options, keyfinder)
          segments = check_segments!(jwt)
          decode64(segments[2] || "")
          header = check_algorithm!(segments[0], options)
          # Where the gem accepts an allowlisted none token, refuse it plainly.
          raise IncorrectAlgorithm, %(Algorithm "none" is not allowed) if header["alg"] == "none"
          raise DecodeError, "No verification key available" if keyless?(key, options, keyfinder)

          parse(segments[1])
        rescue DecodeError
          raise
        rescue StandardError
          nil # an input the gem would choke on differently: keep our error
        end

        # The gem's allowlist: the first of algorithm/algorithms given.
        def algorithms(options)
          ALGORITHM_KEYS.each do |name|
            value = options[name]
            return Array(value) if value
          end
          []
        end

        # `options` with the allowlist replaced by `names`.
        def with_algorithms(options, names)
          options.except(*ALGORITHM_KEYS).merge(algorithms: names)
        end

        private

        def keyless?(key, options, keyfinder)
          key.nil? && keyfinder.nil? && !options[:jwks] && !options[:x5c]
        end

        def check_segments!(jwt)
          segments = jwt.split(".")
          return segments if segments.size == 3 || (segments.size == 2 && none?(segments[0]))

          raise DecodeError, "Not enough or too many segments"
        end

        def none?(segment)
          header = parse(segment)
          header.is_a?(Hash) && header["alg"] == "none"
        end

        # Returns the header once it passed the gem's algorithm checks.
        def check_algorithm!(segment, options)
          allowed = algorithms(options)
          raise IncorrectAlgorithm, "An algorithm must be specified" if allowed.empty?

          header = parse(segment)
          raise DecodeError, "Token header not a JSON object" unless header.is_a?(Hash)

          alg = header["alg"]
          raise IncorrectAlgorithm, "Token is missing alg header" unless alg
          return header if allowed.any? { |a| a.respond_to?(:casecmp?) && a.casecmp?(alg.to_s) }

          raise IncorrectAlgorithm, "Expected a different algorithm"
        end

        def decode64(segment) = Base64.url_decode(segment)

        def parse(segment)
          ::JSON.parse(decode64(segment || ""))
        rescue ::JSON::ParserError
          raise DecodeError, "Invalid segment encoding"
        end
      end
    end
  end
end
