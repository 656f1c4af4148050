# frozen_string_literal: true

module PipelineGuard
  module GraphQL
    # Field extension: checks an ability before the field resolves and/or
    # filters the items of a list result with one batch call.
    #
    #   field :project_secrets, [Types::ProjectSecret], null: true do
    #     argument :project_path, ID, required: true
    #     extension PipelineGuard::GraphQL::Authorize,
    #               ability: :read_project_secrets, subject: ->(_obj, args, _ctx) { args[:project_path] },
    #               each: :read_secret
    #   end
    #
    # Options:
    # * `ability:` checked once before resolving, on `subject:` (a Proc of
    #   (object, arguments, context); default: the parent's application object).
    # * `each:` an ability checked for every item of a list result, in ONE
    #   `authorized_many` call; denied items are dropped. `item_subject:`
    #   maps an item to its subject (default: the item).
    # * `denied:` `:raise` (default) raises ResourceNotAvailable; `:nil`
    #   resolves the field to nil.
    class Authorize < ::GraphQL::Schema::FieldExtension
      # graphql-ruby runs `after_resolve` hooks in the order extensions were
      # added, and connection fields get their connection extension first;
      # move this one to the front so it filters the plain list before it is
      # wrapped into a connection (and paginated).
      def after_define
        super if defined?(super)
        list = field.extensions
        return unless list.is_a?(Array) && list.include?(self) && list.first != self

        list.delete(self)
        list.unshift(self)
      end

      def resolve(object:, arguments:, context:)
        ability = options[:ability]
        if ability
          subject = subject_for(object, arguments, context)
          unless GraphQL.authorized?(context, ability, subject)
            return nil if options[:denied] == :nil

            raise ResourceNotAvailable
          end
        end
        yield(object, arguments)
      end

      def after_resolve(value:, context:, **_rest)
        ability = options[:each]
        return value if ability.nil? || value.nil?

        filter(value, ability, context)
      end

      private

      def subject_for(object, arguments, context)
        proc = options[:subject]
        return proc.call(object, arguments, context) if proc

        object.respond_to?(:object) ? object.object : object
      end

      def filter(value, ability, context)
        if value.is_a?(::GraphQL::Pagination::Connection)
          raise PipelineGuard::Error, "#{field.path}: filter the list before it becomes a connection " \
                                      "(the Authorize extension must come before the connection extension)"
        end
        filter_items(value.to_a, ability, context)
      end

      def filter_items(items, ability, context)
        map = options[:item_subject]
        subjects = map ? items.map { |i| map.call(i, context) } : items
        allowed = GraphQL.authorized_many(context, ability, subjects)
        items.select.with_index { |_, i| allowed[i] }
      end
    end
  end
end
