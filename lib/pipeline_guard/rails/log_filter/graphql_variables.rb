# frozen_string_literal: true

module PipelineGuard
  module Rails
    module LogFilter
      # GraphQL variables that feed sensitive arguments: `secret: $v` in a
      # query makes the variable `v` as sensitive as an inline `secret:`.
      module GraphqlVariables
        # `secret: $name` (any sensitive argument name).
        REFERENCE = /\b(?:#{SENSITIVE_ARGUMENTS.join('|')})\s*:\s*\$([_A-Za-z][_0-9A-Za-z]*)/
        MAX_DEPTH = 4

        # Parameters Hash => its variable names; weak, so the cache never
        # keeps the (unfiltered) parameters alive.
        @by_params = ObjectSpace::WeakMap.new

        class << self
          # The variables a query binds to sensitive arguments.
          def in_query(query)
            return [] unless query.is_a?(String) && query.include?("$")

            query.scan(REFERENCE).flatten.uniq
          end

          # The variables the GraphQL queries of a parameters Hash (its
          # "query" values at any depth, as in batched queries) bind to
          # sensitive arguments. Remembered per Hash: Rails calls a filter
          # once per parameter value.
          def in_params(params)
            return [] unless params.is_a?(Hash)

            cached = @by_params[params]
            return cached if cached

            names = []
            collect(params, names, 0)
            @by_params[params] = names.uniq.freeze
          end

          private

          def collect(node, names, depth)
            return if depth > MAX_DEPTH

            case node
            when Array then node.each { |v| collect(v, names, depth + 1) }
            when Hash then node.each { |k, v| collect_pair(k, v, names, depth) }
            end
          end

          def collect_pair(key, value, names, depth)
            return names.concat(in_query(value)) if key.to_s == "query" && value.is_a?(String)

            collect(value, names, depth + 1)
          end
        end
      end
    end
  end
end
