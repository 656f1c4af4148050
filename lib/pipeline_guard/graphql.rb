# frozen_string_literal: true

require "pipeline_guard"
require "graphql"
require_relative "rails/notifications"
require_relative "graphql/errors"
require_relative "graphql/rbac_authorizer"
require_relative "graphql/block_authorizer"
require_relative "graphql/authorize"
require_relative "graphql/authorized_type"

module PipelineGuard
  # graphql-ruby (1.13+) integration: a field extension that checks an
  # ability before a field resolves and filters list results with ONE
  # native batch call, an `authorized?` helper for types, and GitLab's
  # "resource not available" error. Load with `require "pipeline_guard/graphql"`.
  module GraphQL
    class << self
      # The authorizer used when the query context has none under
      # `:pipeline_guard_authorizer`.
      attr_accessor :authorizer

      def authorizer_for(context)
        context[:pipeline_guard_authorizer] || authorizer ||
          raise(PipelineGuard::Error, "no PipelineGuard::GraphQL authorizer: set PipelineGuard::GraphQL.authorizer " \
                                      "or context[:pipeline_guard_authorizer]")
      end

      # Checks one subject, memoized per query.
      def authorized?(context, ability, subject)
        ability = ability.to_sym
        cache = cache_for(context, ability)
        key = subject_key(subject)
        return cache[key] if cache.key?(key)

        allowed = Rails::Notifications.instrument(:authorize, ability:, count: 1) do |payload|
          answer = authorizer_for(context).authorized?(context, ability, subject)
          payload[:allowed] = answer ? true : false
        end
        cache[key] = allowed
      end

      # Checks many subjects with one authorizer call (subjects already in the
      # per-query cache are not asked again). Returns booleans in order.
      def authorized_many(context, ability, subjects)
        ability = ability.to_sym
        cache = cache_for(context, ability)
        keys = subjects.map { |s| subject_key(s) }
        missing = cache.empty? ? nil : keys.each_index.reject { |i| cache.key?(keys[i]) }
        ask_many(context, ability, subjects, keys, missing, cache) unless missing&.empty?
        keys.map { |k| cache[k] }
      end

      private

      # Asks the authorizer about subjects[missing] (all subjects when nil).
      def ask_many(context, ability, subjects, keys, missing, cache)
        asked = missing ? missing.map { |i| subjects[i] } : subjects
        answers = Rails::Notifications.instrument(:authorize, ability:, count: asked.size) do |payload|
          res = authorizer_for(context).authorized_many(context, ability, asked)
          payload[:allowed] = res.count(true)
          res
        end
        (missing || (0...keys.size)).each_with_index { |i, j| cache[keys[i]] = answers[j] ? true : false }
      end

      def cache_for(context, ability)
        (context[:pipeline_guard_cache] ||= {})[ability] ||= {}
      end

      def subject_key(subject)
        case subject
        when String, Symbol, Integer then subject
        else
          subject.respond_to?(:id) && !subject.id.nil? ? [subject.class.name, subject.id] : subject.object_id
        end
      end
    end
  end
end
