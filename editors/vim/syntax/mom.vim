" Vim syntax file for mommie protocol programs (.mom).
" Install: copy editors/vim/syntax and editors/vim/ftdetect into ~/.vim/.
if exists("b:current_syntax")
  finish
endif

syn keyword momDecl protocol param assume principals const record type fun role at var ghost durable model
syn keyword momDecl timer transition program faults crash recover byzantine invariant lemma property
syn keyword momDecl fairness weak strong constraint terminate communication phase bound round retire
syn keyword momTrigger WHEN ANDWHEN IF AFTER PUBLISH PROGRESS KNOWN
syn keyword momControl let if then else in notin subseteq union inter forall exists start cancel skip
syn keyword momControl timeout progress waitMessages goAhead when catchUp sync send to update
syn keyword momConstant true false none ME NOONE ANY _
syn keyword momSpecial mbox phaseNo roundNo
syn keyword momType bool int principal set map option seq
syn keyword momBuiltin card dom len append head tail max min get isSome some correct crashed
syn match momDuration "\<[0-9]\+\(ms\|us\|s\)\>"
syn match momNumber "\<[0-9]\+\>"
syn match momBody "@@{\|@@}"
syn match momConstraints "{{\|}}"
syn match momAssign "<-"
syn region momComment start="/\*" end="\*/" contains=@Spell
syn match momComment "//.*$" contains=@Spell

hi def link momDecl Keyword
hi def link momTrigger Statement
hi def link momControl Conditional
hi def link momConstant Constant
hi def link momSpecial Identifier
hi def link momType Type
hi def link momBuiltin Function
hi def link momDuration Number
hi def link momNumber Number
hi def link momBody Delimiter
hi def link momConstraints Delimiter
hi def link momAssign Operator
hi def link momComment Comment

let b:current_syntax = "mom"
